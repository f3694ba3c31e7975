{{/*
Rules that span several values. values.schema.json states each of them too, so that `helm lint`
fails on them; here they stop install and upgrade with a sentence that says what to change, also
under `--skip-schema-validation` (two pods on one embedded data folder lose data).
*/}}
{{- define "openhands.validate" -}}
{{- $db := .Values.database }}
{{- if and (include "openhands.embedded" .) (gt (int .Values.replicaCount) 1) }}
{{- fail (printf "replicaCount is %d, but the embedded database (database.mode: embedded) runs in one pod only: two pods must never open one data folder. Set replicaCount to 1, or set database.mode to external with a PostgreSQL URL to run several replicas." (int .Values.replicaCount)) }}
{{- end }}
{{- if not (include "openhands.embedded" .) }}
{{- if and $db.external.url $db.external.existingSecret }}
{{- fail "database.external: set either url or existingSecret, not both; keep existingSecret to keep the password out of the release's values." }}
{{- end }}
{{- if not (or $db.external.url $db.external.existingSecret) }}
{{- fail "database.mode is external: set database.external.existingSecret (a Secret holding the URL) or database.external.url." }}
{{- end }}
{{- if and $db.external.url (not (regexMatch "^postgres(ql)?://" $db.external.url)) }}
{{- fail "database.external.url must start with postgres:// or postgresql://, as in postgres://user:password@host:5432/database." }}
{{- end }}
{{- end }}
{{- $uploadHours := .Values.telemetry.uploadIntervalHours | default 24 | int }}
{{- $thresholdDays := .Values.telemetry.warningThresholdDays | default 4 | int }}
{{- if ge $uploadHours (mul $thresholdDays 24) }}
{{- fail (printf "telemetry.uploadIntervalHours (%d) must be shorter than telemetry.warningThresholdDays (%d days = %d hours), or the license warning would show between two uploads. Lower uploadIntervalHours or raise warningThresholdDays." $uploadHours $thresholdDays (mul $thresholdDays 24)) }}
{{- end }}
{{- end }}
