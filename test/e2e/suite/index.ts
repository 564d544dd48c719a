/**
 * The extension-tests entry point (`extensionTestsPath`) of the offline runner: VS Code's extension host
 * calls `run()`; it runs the suite with mocha and writes the outcome to the file the runner waits for.
 * (`@vscode/test-cli` has its own entry point and reads the same `*.test.js` files.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface Outcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  ms?: number;
  error?: string;
}

export async function run(): Promise<void> {
  const { resultFile, grep } = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8')) as { resultFile: string; grep?: string };
  const outcomes: Outcome[] = [];
  let failures = 0;
  try {
    const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: Mocha.reporters.Base, grep });
    const dir = path.join(__dirname, 'suite');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, f));
    failures = await new Promise<number>((resolve) => {
      const runner = mocha.run(resolve);
      runner.on('pass', (t) => outcomes.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
      runner.on('fail', (t, err: Error) => outcomes.push({ title: t.fullTitle(), state: 'failed', ms: t.duration, error: err?.stack ?? String(err) }));
      runner.on('pending', (t) => outcomes.push({ title: t.fullTitle(), state: 'pending' }));
    });
  } catch (err) {
    failures++;
    outcomes.push({ title: 'loading the suite', state: 'failed', error: (err as Error)?.stack ?? String(err) });
  }
  fs.writeFileSync(resultFile + '.tmp', JSON.stringify({ failures, outcomes }, null, 2));
  fs.renameSync(resultFile + '.tmp', resultFile);
  if (failures) throw new Error(`${failures} e2e test(s) failed`);
}
