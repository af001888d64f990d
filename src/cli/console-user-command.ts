import { hashConsolePassword } from '../../adapters/console/console-password.ts';
import { VERIFIED_NAME } from '../../adapters/console/console-users.ts';

export interface ConsoleUserCommandOptions {
  name: string | undefined;
  /** The password: standard input, up to its first line break. */
  input: NodeJS.ReadableStream;
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * `ai4k8s console-user <name>`: reads a password from standard input and prints the CONSOLE_USERS_FILE line for it
 * (`<name>:$scrypt$…`). The password never appears on the command line, where other users could see it.
 */
export async function consoleUserCommand({ name, input, out, err }: ConsoleUserCommandOptions): Promise<number> {
  if (name === undefined || !VERIFIED_NAME.test(name)) {
    err(
      'ai4k8s console-user: expected one name of letters, digits and . _ @ + - (at most 128), e.g. ai4k8s console-user alice@example.com < password-file\n',
    );
    return 2;
  }
  let text = '';
  for await (const chunk of input) text += String(chunk);
  const password = text.split(/\r?\n/)[0] ?? '';
  try {
    out(`${name}:${await hashConsolePassword(password)}\n`);
    return 0;
  } catch (error) {
    err(`ai4k8s console-user: ${(error as Error).message}\n`);
    return 2;
  }
}
