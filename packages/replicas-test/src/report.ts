/** The checks of the run as a Jest JSON report, for scripts/summarize-tests.js. */
import fs from 'node:fs';
import { Check } from './context';

/**
 * With `REPLICAS_TEST_REPORT=<file>`, the checks as a Jest JSON report
 * (one test per check), for scripts/summarize-tests.js.
 */
export function writeReport(checks: Check[]): void {
  const file = process.env.REPLICAS_TEST_REPORT;
  if (!file) return;
  const failed = checks.filter(c => !c.pass).length;
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        numPassedTests: checks.length - failed,
        numFailedTests: failed,
        numPendingTests: 0,
        numTodoTests: 0,
        success: failed === 0,
        testResults: [
          {
            name: 'yarn test:replicas',
            status: failed ? 'failed' : 'passed',
            assertionResults: checks.map(c => ({
              ancestorTitles: ['replicas', c.phase],
              title: c.name,
              fullName: `replicas ${c.phase}: ${c.name}`,
              status: c.pass ? 'passed' : 'failed',
              failureMessages: c.pass ? [] : [c.detail],
            })),
          },
        ],
      },
      null,
      2,
    ),
  );
}
