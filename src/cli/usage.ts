export const usage = `Usage: ai4k8s <role> [--config <file>]

Roles:
  gateway   receive Slack, Teams and Alertmanager requests, verify, enqueue (HTTP on PORT)
  worker    run the Claude tool loop for queued questions and post answers (health on WORKER_PORT)
  mcp       serve the Kubernetes and monitoring tools over MCP Streamable HTTP (POST /mcp on MCP_PORT)
  all       all three in one process, for a laptop or a demo

Other commands:
  console-user <name>   read a password on standard input, print its CONSOLE_USERS_FILE line

Options:
  --config <file>  YAML file of settings (VARIABLE: value); environment variables override it
  -h, --help       show this help

Configuration is read from environment variables; see docs/configuration.md for the list.
`;
