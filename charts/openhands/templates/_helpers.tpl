{{/* The chart's name, shortened to fit a label value. */}}
{{- define "openhands.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The name of every resource: "<release>-openhands", or the release name when it already says openhands. */}}
{{- define "openhands.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* What the Deployment, Service, PodDisruptionBudget and spread constraints select on: never the chart or app version, which change on upgrade. */}}
{{- define "openhands.selectorLabels" -}}
app.kubernetes.io/name: {{ include "openhands.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The pods' labels: no chart version, so a chart bump alone never restarts the pods. */}}
{{- define "openhands.podLabels" -}}
{{ include "openhands.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Several pods share the work: an external database and more than one replica. */}}
{{- define "openhands.replicated" -}}
{{- if and (not (include "openhands.embedded" .)) (gt (int .Values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{/* "1 day", "7 days". */}}
{{- define "openhands.plural" -}}
{{- $n := index . 0 | int }}{{ $n }} {{ if eq $n 1 }}{{ index . 1 }}{{ else }}{{ index . 2 }}{{ end }}
{{- end }}

{{- define "openhands.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "openhands.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "openhands.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{- define "openhands.embedded" -}}
{{- if eq (.Values.database.mode | default "embedded") "embedded" }}true{{ end }}
{{- end }}

{{/* The Secret that holds DATABASE_URL: the operator's own, or the chart's when the URL is given directly. */}}
{{- define "openhands.databaseSecretName" -}}
{{- .Values.database.external.existingSecret | default (printf "%s-database" (include "openhands.fullname" .)) }}
{{- end }}

{{- define "openhands.databaseSecretKey" -}}
{{- if .Values.database.external.existingSecret }}
{{- .Values.database.external.existingSecretKey | default "DATABASE_URL" }}
{{- else -}}
DATABASE_URL
{{- end }}
{{- end }}

{{- define "openhands.claimName" -}}
{{- .Values.database.embedded.persistence.existingClaim | default (printf "%s-data" (include "openhands.fullname" .)) }}
{{- end }}
