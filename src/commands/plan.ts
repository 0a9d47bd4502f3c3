import { UsageError, type ExitCode } from '../errors.js';

// Placeholder until the command is built (see the open issues); refuses rather than pretending.
export async function planCommand(_opts: Record<string, unknown>): Promise<ExitCode> {
  throw new UsageError('the plan command is not implemented yet');
}
