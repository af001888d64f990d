import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringArg, type SlackArgs } from './slack-request-args.ts';
import type { SlackResult } from './slack-workspace.ts';

/**
 * Slack's external file upload flow for the fake Web API: `files.getUploadURLExternal` hands out an upload
 * URL and a file id, the client POSTs the bytes to that URL (Slack's file service, outside `/api/`), and
 * `files.completeUploadExternal` shares the file into a channel and thread. Files are kept apart from
 * messages, so a test reads a thread's messages and its files separately.
 */
export interface FakeSlackFile {
  id: string;
  filename: string;
  /** The size the client announced in `files.getUploadURLExternal`. */
  length: number;
  snippetType: string | undefined;
  altText: string | undefined;
  /** What was POSTed to the upload URL (undefined until then). */
  bytes: Buffer | undefined;
  uploadContentType: string | undefined;
  /** Set by `files.completeUploadExternal`. */
  title: string | undefined;
  channel: string | undefined;
  threadTs: string | undefined;
  completedAt: number | undefined;
}

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;
const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;

export class SlackFileUploads {
  readonly files: FakeSlackFile[] = [];
  /** The upload URLs' base, e.g. `http://127.0.0.1:1234/upload/v1/`; set once the server listens. */
  baseUrl = '';
  /** Called when `files.completeUploadExternal` shares files into a channel: Slack then posts a message with them. */
  onShared: (
    channel: string,
    threadTs: string | undefined,
    files: { id: string; name: string; title: string; mimetype: string; size: number }[],
  ) => void = () => undefined;
  private readonly byUploadKey = new Map<string, FakeSlackFile>();
  private nextId = 1;

  clear(): void {
    this.files.length = 0;
    this.byUploadKey.clear();
  }

  /** Runs a files.* method; undefined for any other method. */
  call(method: string, args: SlackArgs): SlackResult | undefined {
    if (method === 'files.getUploadURLExternal') return this.getUploadUrl(args);
    if (method === 'files.completeUploadExternal') return this.complete(args);
    return undefined;
  }

  /** Handles a POST to an upload URL; false when the request is not for the upload service. */
  async receive(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    const key = /^\/upload\/v1\/([A-Za-z0-9_-]+)$/.exec(url.pathname)?.[1];
    if (!url.pathname.startsWith('/upload/')) return false;
    const file = key === undefined ? undefined : this.byUploadKey.get(key);
    if (file === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return true;
    }
    if (request.method !== 'POST') {
      response.writeHead(405, { 'content-type': 'text/plain', allow: 'POST' }).end('Method Not Allowed');
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      if (size > MAX_UPLOAD_BYTES) {
        response.writeHead(413, { 'content-type': 'text/plain' }).end('Request Entity Too Large');
        return true;
      }
      chunks.push(buffer);
    }
    file.bytes = Buffer.concat(chunks);
    file.uploadContentType = request.headers['content-type'];
    // Slack's file service answers a successful upload with a plain-text "OK - <bytes>".
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(`OK - ${file.bytes.length}`);
    return true;
  }

  private getUploadUrl(args: SlackArgs): SlackResult {
    const filename = stringArg(args, 'filename');
    const lengthText = stringArg(args, 'length');
    const length = lengthText === undefined ? Number.NaN : Number(lengthText);
    const missing = [filename === undefined ? 'filename' : undefined, lengthText === undefined ? 'length' : undefined].filter(
      (f) => f !== undefined,
    );
    if (missing.length > 0) return invalidArguments(missing.map((field) => `missing required field: ${field}`));
    if (!Number.isInteger(length) || length < 0) return invalidArguments(['length must be an integer']);
    // Slack documents `missing_argument` for a zero length.
    if (length === 0) return { ok: false, error: 'missing_argument' };
    const id = `F0FAKE${String(this.nextId++).padStart(5, '0')}`;
    const key = randomBytes(12).toString('base64url');
    const file: FakeSlackFile = {
      id,
      filename: filename ?? '',
      length,
      snippetType: stringArg(args, 'snippet_type'),
      altText: stringArg(args, 'alt_txt') ?? stringArg(args, 'alt_text'),
      bytes: undefined,
      uploadContentType: undefined,
      title: undefined,
      channel: undefined,
      threadTs: undefined,
      completedAt: undefined,
    };
    this.files.push(file);
    this.byUploadKey.set(key, file);
    return { ok: true, upload_url: `${this.baseUrl}${key}`, file_id: id };
  }

  private complete(args: SlackArgs): SlackResult {
    let files: unknown = args.files;
    // Form bodies carry the array as JSON text.
    if (typeof files === 'string') {
      try {
        files = JSON.parse(files);
      } catch {
        return invalidArguments(['files must be a JSON array']);
      }
    }
    if (!Array.isArray(files) || files.length === 0) return invalidArguments(['missing required field: files']);
    const entries = files.map((f: unknown) => (typeof f === 'object' && f !== null ? (f as Record<string, unknown>) : {}));
    if (entries.some((f) => typeof f.id !== 'string')) return invalidArguments(['files[].id must be a string']);
    const channel = stringArg(args, 'channel_id');
    const threadTs = stringArg(args, 'thread_ts');
    if (threadTs !== undefined && channel === undefined) return invalidArguments(['thread_ts requires channel_id']);
    if (channel !== undefined && !CHANNEL_ID.test(channel)) return { ok: false, error: 'channel_not_found' };
    const found = entries.map((f) =>
      this.files.find((file) => file.id === f.id && file.bytes !== undefined && file.completedAt === undefined),
    );
    if (found.some((f) => f === undefined)) return { ok: false, error: 'file_not_found' };
    const completed = found.flatMap((file, index) => {
      if (file === undefined) return [];
      const title = entries[index]?.title;
      file.title = typeof title === 'string' ? title : file.filename;
      file.channel = channel;
      file.threadTs = threadTs;
      file.completedAt = Date.now();
      return [
        { id: file.id, name: file.filename, title: file.title, size: file.bytes?.length ?? 0, mimetype: file.uploadContentType ?? '' },
      ];
    });
    if (channel !== undefined) this.onShared(channel, threadTs, completed);
    return { ok: true, files: completed };
  }
}

function invalidArguments(problems: string[]): SlackResult {
  return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } };
}
