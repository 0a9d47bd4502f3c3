import { UsageError, type ExitCode } from '../errors.js';

// Placeholder until the command is built (see the open issues); refuses rather than pretending.
export async function emulatorCommand(_opts: Record<string, unknown>): Promise<ExitCode> {
  throw new UsageError('the emulator command is not implemented yet');
}
