// Bundles the extension-host mocha suite (test/vscode/suite) to out/test/suite/index.js, for the
// "Extension Tests" launch configuration; `npm test` builds it itself.
import { buildSuite } from '../test/vscode/harness.ts';

console.log(await buildSuite());
