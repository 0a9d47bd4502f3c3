/**
 * `apply` on a terminal asks before writing and never defaults to yes. A real pseudo-terminal comes
 * from util-linux `script`, so the CLI sees `isTTY` exactly as in an interactive shell.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REF, TOKEN, loggedWrites, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { cliCommand, runInTerminal } from '../helpers/pty.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

let emu: TestEmulator;
let ws: Workspace;

/** Runs `supasync apply` in a pseudo-terminal and types `answer` once the prompt shows. */
const applyOnTerminal = (answer: string) =>
  runInTerminal(cliCommand(['apply', '-c', ws.dir]), {
    env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN },
    answer: { when: 'Only "yes" will be accepted', text: answer },
  });

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
