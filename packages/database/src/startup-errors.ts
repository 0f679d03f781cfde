// Imported first by every process's entry point, before anything that reads settings as it loads:
// a SettingError (a malformed or out-of-range setting, a port in use) thrown while the process
// starts, even from a module being loaded, is printed as its one line rather than a stack trace,
// and the process exits with 1. Any other error ends the process as Node would, with its stack.
import { SettingError } from './settings.js';

function exitWith(error: unknown): void {
  if (error instanceof SettingError) console.error(error.message);
  else console.error(error);
  process.exit(1);
}

process.on('uncaughtException', exitWith);
process.on('unhandledRejection', exitWith);
