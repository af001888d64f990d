/** Who is calling the MCP server: the kind of token it presented and the chat user it named (X-Ai4k8s-User). */
export interface McpCaller {
  /** `bot`: MCP_TOKEN (read, preview, apply with a grant); `read`: one of MCP_READ_TOKENS (read-only tools only). */
  token: 'bot' | 'read';
  chatUser: string | undefined;
}
