// Runs the mocha suite inside the extension host (code-server here, @vscode/test-electron elsewhere).
import Mocha from 'mocha';
import { auditGraphSuite } from './auditGraph.suite';
import { auditSecuritySuite } from './auditSecurity.suite';
import { extensionSuite } from './extension.suite';
import { graphSuite } from './graph.suite';
import { hdfsSuite } from './hdfs.suite';
import { liveSuite } from './live.suite';
import { partitionsSuite } from './partitions.suite';
import { restrictedSuite } from './restricted.suite';
import { runExtrasSuite } from './runExtras.suite';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // The same bundle serves both windows: the environment says which suite this one runs.
  // TRIBUTARY_TEST_SUITE=partitions: only the partitions suite (trusted or restricted).
  if (process.env.TRIBUTARY_TEST_SUITE === 'partitions') partitionsSuite(mocha.suite);
  // TRIBUTARY_TEST_SUITE=runExtras: full log, run with params, the terminal and the graph.
  else if (process.env.TRIBUTARY_TEST_SUITE === 'runExtras') runExtrasSuite(mocha.suite);
  else if (process.env.TRIBUTARY_TEST_SUITE === 'live') liveSuite(mocha.suite);
  else if (process.env.TRIBUTARY_TEST_SUITE === 'auditGraph') auditGraphSuite(mocha.suite);
  else if (process.env.TRIBUTARY_TEST_SUITE === 'auditSecurity') auditSecuritySuite(mocha.suite);
  else if (process.env.TRIBUTARY_TEST_RESTRICTED) restrictedSuite(mocha.suite);
  else {
    extensionSuite(mocha.suite);
    graphSuite(mocha.suite);
    hdfsSuite(mocha.suite);
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) =>
      failures > 0 ? reject(new Error(`${failures} extension test(s) failed`)) : resolve(),
    );
  });
}
