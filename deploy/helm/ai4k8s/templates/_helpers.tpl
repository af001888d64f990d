{{- define "ai4k8s.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ai4k8s.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "ai4k8s.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "ai4k8s.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one role: call with (dict "root" $ "role" "worker"). */}}
{{- define "ai4k8s.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ai4k8s.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{/* The MCP server's service account: the only identity that talks to the Kubernetes API. */}}
{{- define "ai4k8s.mcpServiceAccount" -}}
{{- printf "%s-mcp" (include "ai4k8s.fullname" .) -}}
{{- end -}}

{{/* Gateway and worker run as this one; it has no RBAC and no token mounted. */}}
{{- define "ai4k8s.appServiceAccount" -}}
{{- printf "%s-app" (include "ai4k8s.fullname" .) -}}
{{- end -}}

{{/* The Secret the roles read: the user's (secrets.existingSecret), or for an evaluation the one the chart generates. */}}
{{- define "ai4k8s.secretName" -}}
{{- if .Values.secrets.generate.enabled -}}
{{- printf "%s-credentials" (include "ai4k8s.fullname" .) -}}
{{- else -}}
{{- .Values.secrets.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* The evaluation Redis (redis.evaluation) and its address. */}}
{{- define "ai4k8s.evaluationRedisUrl" -}}
{{- printf "redis://%s-redis:%v" (include "ai4k8s.fullname" .) .Values.networkPolicy.redisPort -}}
{{- end -}}

{{- define "ai4k8s.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/*
Secret keys each role reads from secrets.existingSecret: only what it uses, except that a Slack bot token is
checked at start against its signing secret / app token (src/config/load-config.ts), so those travel together.
APPROVAL_SIGNING_KEY goes to the gateway (signs approval grants) and the MCP server (verifies them), never to
the worker: with it, the worker could approve its own writes (decision 012).
*/}}
{{- define "ai4k8s.secretKeys" -}}
{{- $keys := dict
  "gateway" (list "REDIS_PASSWORD" "REDIS_SENTINEL_PASSWORD" "SLACK_BOT_TOKEN" "SLACK_SIGNING_SECRET" "SLACK_APP_TOKEN" "TEAMS_APP_PASSWORD" "ALERTS_TOKEN" "CONSOLE_TOKEN" "CONSOLE_SESSION_SECRET" "APPROVAL_SIGNING_KEY")
  "worker" (list "REDIS_PASSWORD" "REDIS_SENTINEL_PASSWORD" "MCP_TOKEN" "ANTHROPIC_API_KEY" "SLACK_BOT_TOKEN" "SLACK_SIGNING_SECRET" "SLACK_APP_TOKEN" "TEAMS_APP_PASSWORD" "GRAFANA_TOKEN")
  "mcp" (list "REDIS_PASSWORD" "REDIS_SENTINEL_PASSWORD" "MCP_TOKEN" "MCP_READ_TOKENS" "APPROVAL_SIGNING_KEY" "GRAFANA_TOKEN") -}}
{{- toJson (get $keys .) -}}
{{- end -}}

{{/* Every key that is or may carry a credential: refused in .Values.config. Must equal secretStoredKeys of src/config/schema.ts (the settings marked credential(); test/deploy/helm-chart.test.ts checks). */}}
{{- define "ai4k8s.allSecretKeys" -}}
{{- toJson (list "SLACK_BOT_TOKEN" "SLACK_SIGNING_SECRET" "SLACK_APP_TOKEN" "TEAMS_APP_PASSWORD" "ANTHROPIC_API_KEY" "MCP_TOKEN" "MCP_READ_TOKENS" "APPROVAL_SIGNING_KEY" "GRAFANA_TOKEN" "ALERTS_TOKEN" "CONSOLE_TOKEN" "CONSOLE_SESSION_SECRET" "REDIS_URL" "REDIS_PASSWORD" "REDIS_SENTINEL_PASSWORD") -}}
{{- end -}}
