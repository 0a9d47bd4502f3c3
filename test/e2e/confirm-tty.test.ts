/**
 * `apply` on a terminal asks before writing and never defaults to yes. A real pseudo-terminal comes
 * from util-linux `script`, so the CLI sees `isTTY` exactly as in an interactive shell.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { REF, TOKEN, loggedWrites, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

let emu: TestEmulator;
let ws: Workspace;

/** Runs `supasync apply` in a pseudo-terminal and types `answer` once the prompt shows. */
function applyOnTerminal(answer: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} apply -c ${JSON.stringify(ws.dir)}`;
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let answered = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      output += d;
      if (!answered && output.includes('Only "yes" will be accepted')) {
        answered = true;
        child.stdin.write(`${answer}\n`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const writes = () => loggedWrites(emu);

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF }] });
  ws?.remove();
  ws = workspace({ 'pooler.yaml': `project: ${REF}\npooler:\n  default_pool_size: 33\n` });
});

describe('confirmation on a terminal', () => {
  it('anything but "yes" declines: exit 4, nothing written', async () => {
    const run = await applyOnTerminal('y');
    expect(run.output).toContain('Plan: 0 to create, 1 to update, 0 to delete (1 change).');
    expect(run.code).toBe(4);
    expect(run.output).toContain('apply cancelled');
    expect(await writes()).toEqual([]);
  });

  it('"yes" applies', async () => {
    const run = await applyOnTerminal('yes');
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('Apply complete: 1 change applied to 1 project. Projects: 1 changed');
    expect((await writes()).length).toBe(1);
  });
});
