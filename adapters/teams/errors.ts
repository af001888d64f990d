/** The request's bearer token is missing or not valid for this bot: answered 401, nothing is queued. */
export class TeamsAuthError extends Error {
  override readonly name = 'TeamsAuthError';
  readonly code = 'teams_unauthorized';
}
