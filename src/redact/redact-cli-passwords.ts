import { redactionMarker } from './redaction-marker.ts';

/**
 * Command lines whose password flag has no credential name: `mysql -psecret` (glued to -p), `redis-cli -a
 * secret`, `sshpass -p secret`. Only on the line of such a command, so `ssh -p22` or `docker -p 80:80` stay.
 */
const COMMAND = /(?<![\w-])(mysql|mysqldump|mysqladmin|mysqlsh|mariadb|mariadb-dump|redis-cli|sshpass)(?![\w-])/g;
const GLUED_P = /(?<=[ \t])(-p)([^\s'"-][^\s'"]*|'[^'\n]*'|"[^"\n]*")/g;
const SPACED = { 'redis-cli': /(?<=[ \t])(-a[ \t]+)([^\s-][^\s]*)/g, sshpass: /(?<=[ \t])(-p[ \t]+)([^\s-][^\s]*)/g };

/** Redacts the password arguments of those commands, each line once: linear time. */
export function redactCliPasswords(text: string): string {
  COMMAND.lastIndex = 0;
  let out = '';
  let from = 0;
  for (let m = COMMAND.exec(text); m !== null; m = COMMAND.exec(text)) {
    if (m.index < from) continue;
    const lineEnd = text.indexOf('\n', m.index);
    const end = lineEnd === -1 ? text.length : lineEnd;
    const rest = text.slice(m.index, end);
    const command = m[1] ?? '';
    const pattern = command === 'redis-cli' ? SPACED['redis-cli'] : command === 'sshpass' ? SPACED.sshpass : GLUED_P;
    out +=
      text.slice(from, m.index) +
      rest.replace(pattern, (match, flag: string, value: string) =>
        value.startsWith('[redacted') ? match : `${flag}${redactionMarker('password')}`,
      );
    from = end;
    COMMAND.lastIndex = end;
  }
  return out + text.slice(from);
}
