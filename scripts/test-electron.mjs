// The extension-host suite in desktop VS Code through @vscode/test-electron, for machines that
// can download VS Code (this one cannot: `npm test` runs the same suite in code-server instead).
// Run: npm run build && npm run test:electron   (TRIBUTARY_TEST_RESTRICTED=1 for the restricted one)
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSuite, demoWorkspace } from '../test/vscode/harness.ts';

const root = path.resolve(import.meta.dirname, '..');
const restricted = process.env.TRIBUTARY_TEST_RESTRICTED === '1';
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: await buildSuite(),
    launchArgs: [
      demoWorkspace(),
      '--disable-extensions',
      ...(restricted ? [] : ['--disable-workspace-trust']),
    ],
    extensionTestsEnv: restricted ? { TRIBUTARY_TEST_RESTRICTED: '1' } : {},
  });
} catch (e) {
  console.error(
    `tributary: the extension-host suite failed in desktop VS Code: ${e instanceof Error ? e.message : e}`,
  );
  process.exit(1);
}
