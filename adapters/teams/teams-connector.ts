import type { TeamsConversations } from './reply/teams-conversations.ts';
import type { TeamsActivity } from './teams-activity-job.ts';

/** A request whose bearer token was checked (or emulator mode); only `authenticate` makes one. */
export interface VerifiedRequest {
  readonly verified: true;
}

/**
 * Everything ai4k8s needs from the Bot Framework, in our own terms: verify an incoming request, run its turn,
 * and write into conversations. `botFrameworkConnector` implements it with botbuilder's CloudAdapter; a move to
 * the Microsoft 365 Agents SDK replaces that one file (docs/decisions/007-teams-bot-framework-seam.md).
 */
export interface TeamsConnector extends TeamsConversations {
  /** `emulator`: no app id, so requests are not authenticated (local Bot Framework Emulator only). */
  readonly mode: 'authenticated' | 'emulator';
  /** Checks the Authorization header against the activity (signature, issuer, audience, serviceUrl); throws TeamsAuthError. */
  authenticate(authorization: string, activity: Record<string, unknown>): Promise<VerifiedRequest>;
  /** Runs `turn` as the bot's turn for a verified, well-formed activity; returns what it returns. */
  runTurn<T>(verified: VerifiedRequest, activity: TeamsActivity, turn: () => Promise<T>): Promise<T>;
}
