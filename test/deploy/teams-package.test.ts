import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { runCommand } from './run-command.ts';

const script = join(import.meta.dirname, '../../deploy/teams/package.sh');
const APP_ID = '3f2a8c41-7d0e-4b9a-9c55-0e1f2a3b4c5d';

/** The files of a zip archive, read through its central directory (what Teams' uploader reads too). */
function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'no end of central directory');
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let k = 0; k < count; k += 1) {
    assert.equal(archive.readUInt32LE(at), 0x02014b50, 'bad central directory entry');
    const method = archive.readUInt16LE(at + 10);
    const size = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const body = archive.subarray(dataStart, dataStart + size);
    files.set(name, method === 8 ? inflateRawSync(body) : Buffer.from(body));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

/** Width, height and colour type from a PNG's IHDR chunk. */
function pngHeader(png: Buffer): { width: number; height: number; colorType: number } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'not a PNG');
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png.readUInt8(25) };
}

describe('the Teams app package (deploy/teams)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teams-package-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('zips a manifest (schema 1.16+, the bot id filled in, all three scopes, commands) and both icons', async () => {
    const out = join(dir, 'app.zip');
    const result = await runCommand('bash', [script, '--app-id', APP_ID, '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    const files = unzip(readFileSync(out));
    assert.deepEqual([...files.keys()].sort(), ['color.png', 'manifest.json', 'outline.png']);

    const manifest = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '{}') as Record<string, unknown> & {
      manifestVersion: string;
      bots: { botId: string; scopes: string[]; commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[] }[];
      icons: { color: string; outline: string };
      name: { short: string; full: string };
      description: { short: string; full: string };
    };
    const [major = 0, minor = 0] = manifest.manifestVersion.split('.').map(Number);
    assert.ok(major > 1 || (major === 1 && minor >= 16), `manifestVersion ${manifest.manifestVersion}`);
    assert.match(String(manifest.$schema), new RegExp(`/v${manifest.manifestVersion}/MicrosoftTeams\\.schema\\.json$`));
    assert.equal(manifest.id, APP_ID);
    assert.ok(!JSON.stringify(manifest).includes('{{'), 'a placeholder is left');
    const [bot] = manifest.bots;
    assert.equal(bot?.botId, APP_ID);
    assert.deepEqual([...(bot?.scopes ?? [])].sort(), ['groupChat', 'personal', 'team']);
    const commands = bot?.commandLists.flatMap((list) => list.commands) ?? [];
    assert.ok(commands.length > 0 && commands.length <= 10);
    for (const { title, description } of commands) {
      assert.ok(title.length <= 32, `command title over 32 characters: ${title}`);
      assert.ok(description.length <= 128, `command description over 128 characters: ${description}`);
    }
    assert.ok(manifest.name.short.length <= 30 && manifest.name.full.length <= 100);
    assert.ok(manifest.description.short.length <= 80 && manifest.description.full.length <= 4000);
    assert.match(String(manifest.accentColor), /^#[0-9A-Fa-f]{6}$/);

    const color = pngHeader(files.get(manifest.icons.color) ?? Buffer.alloc(0));
    assert.deepEqual([color.width, color.height], [192, 192]);
    const outline = pngHeader(files.get(manifest.icons.outline) ?? Buffer.alloc(0));
    assert.deepEqual([outline.width, outline.height], [32, 32]);
    assert.equal(outline.colorType, 6, 'the outline icon needs an alpha channel (white on transparent)');
  });

  it('refuses to build without a valid app id', async () => {
    const result = await runCommand('bash', [script, '--app-id', 'not-a-guid', '--out', join(dir, 'bad.zip')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Microsoft App ID/);
  });
});
