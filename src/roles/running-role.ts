/** A started role: what it listens on, and how to stop it. */
export interface RunningRole {
  role: string;
  /** Base URLs this role serves, by purpose (e.g. { http: 'http://127.0.0.1:3000' }). */
  urls: Record<string, string>;
  stop(): Promise<void>;
}
