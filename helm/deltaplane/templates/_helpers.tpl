{{/* Names, labels and the per-app settings every template shares. */}}

{{- define "deltaplane.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "deltaplane.fullname" -}}
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

{{/* The four apps: values key -> component (image and container name). */}}
{{- define "deltaplane.apps" -}}
gateway: gateway
metadata: metadata-service
lineage: lineage-service
ingest: ingest-worker
{{- end -}}

{{/* Resource name of one app: (list $ "metadata") -> <fullname>-metadata */}}
{{- define "deltaplane.appName" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s" (include "deltaplane.fullname" $root | trunc 50 | trimSuffix "-") (index . 1) -}}
{{- end -}}

{{- define "deltaplane.releaseLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: deltaplane
{{- end -}}

{{- define "deltaplane.labels" -}}
{{ include "deltaplane.releaseLabels" . }}
app.kubernetes.io/name: {{ include "deltaplane.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selector labels of one app: (list $ "metadata"), or of another workload of it: (list $ "metadata" "metadata-worker") */}}
{{- define "deltaplane.selectorLabels" -}}
{{- $root := index . 0 -}}
{{- $key := index . 1 -}}
{{- $component := get (include "deltaplane.apps" $root | fromYaml) $key -}}
{{- if gt (len .) 2 }}{{ $component = index . 2 }}{{ end -}}
app.kubernetes.io/name: {{ include "deltaplane.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ $component }}
{{- end -}}

{{- define "deltaplane.appLabels" -}}
{{ include "deltaplane.releaseLabels" (index . 0) }}
{{ include "deltaplane.selectorLabels" . }}
{{- end -}}

{{- define "deltaplane.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "deltaplane.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Image of one app: (list $ "metadata") */}}
{{- define "deltaplane.image" -}}
{{- $root := index . 0 -}}
{{- $key := index . 1 -}}
{{- $app := index $root.Values $key -}}
{{- $component := get (include "deltaplane.apps" $root | fromYaml) $key -}}
{{- $repository := $app.image.repository | default (printf "%s/%s" $root.Values.image.repositoryPrefix $component) -}}
{{- $tag := $app.image.tag | default $root.Values.image.tag | default $root.Chart.AppVersion -}}
{{- printf "%s:%s" $repository $tag -}}
{{- end -}}

{{/*
The JDBC URL: the host, then any standby hosts (host or host:port) of a Postgres with failover, when
the apps connect to whichever is the primary (targetServerType=primary).
*/}}
{{- define "deltaplane.dbUrl" -}}
{{- $db := .Values.database -}}
{{- $host := required "database.host is required: the host name of the external Postgres" $db.host -}}
{{- $hosts := list (printf "%s:%d" $host (int $db.port)) -}}
{{- range $db.standbyHosts -}}
{{- $hosts = append $hosts (ternary . (printf "%s:%d" . (int $db.port)) (contains ":" .)) -}}
{{- end -}}
{{- $parameters := list -}}
{{- with $db.parameters }}{{ $parameters = append $parameters . }}{{ end -}}
{{- if and $db.standbyHosts (not (contains "targetServerType=" (default "" $db.parameters))) }}{{ $parameters = append $parameters "targetServerType=primary" }}{{ end -}}
{{- printf "jdbc:postgresql://%s/%s" (join "," $hosts) $db.name -}}
{{- if $parameters }}?{{ join "&" $parameters }}{{ end -}}
{{- end -}}

{{/* URL of one app's Service inside the cluster: (list $ "lineage") */}}
{{- define "deltaplane.serviceUrl" -}}
{{- $root := index . 0 -}}
{{- $key := index . 1 -}}
{{- printf "http://%s:%d" (include "deltaplane.appName" .) (int (index $root.Values $key).port) -}}
{{- end -}}

{{/*
The paths open without an API key: the apps' defaults (SecurityProperties in libs/support;
a test keeps this list in step) plus /actuator/prometheus when metrics are enabled.
*/}}
{{- define "deltaplane.openPaths" -}}
/actuator/health,/actuator/health/**,/v3/api-docs,/v3/api-docs/**,/swagger-ui.html,/swagger-ui/**,/actuator/prometheus
{{- end -}}

{{/* Non-secret settings of one app (its ConfigMap data): (list $ "metadata") */}}
{{- define "deltaplane.config" -}}
{{- $root := index . 0 -}}
{{- $key := index . 1 -}}
{{- $app := index $root.Values $key -}}
{{- $jvm := merge (deepCopy ($app.jvm | default dict)) $root.Values.jvm -}}
PORT: {{ $app.port | quote }}
DELTAPLANE_DB_URL: {{ include "deltaplane.dbUrl" $root | quote }}
DELTAPLANE_DB_USER: {{ $root.Values.database.user | quote }}
DELTAPLANE_DB_MAXPOOLSIZE: {{ $root.Values.database.maxPoolSize | quote }}
{{- with $root.Values.auth.oidc }}
DELTAPLANE_OIDC_ISSUERS: {{ join "," .issuers | quote }}
DELTAPLANE_OIDC_AUDIENCE: {{ .audience | quote }}
DELTAPLANE_OIDC_PRINCIPAL_CLAIM: {{ .principalClaim | quote }}
DELTAPLANE_OIDC_GROUPS_CLAIM: {{ .groupsClaim | quote }}
DELTAPLANE_OIDC_CREATE_PRINCIPALS: {{ .createPrincipals | quote }}
{{- end }}
{{- if eq $key "gateway" }}
DELTAPLANE_TRUSTED_PROXIES: {{ join "," $root.Values.auth.trustedProxies | quote }}
{{- else }}
DELTAPLANE_TRUSTED_PROXIES: {{ join "," $root.Values.auth.podNetwork | quote }}
{{- end }}
JDK_JAVA_OPTIONS: {{ printf "-XX:MaxRAMPercentage=%v -XX:InitialRAMPercentage=%v -XX:+ExitOnOutOfMemoryError %s" $jvm.maxRamPercentage (div $jvm.maxRamPercentage 2) $jvm.extraOptions | trim | quote }}
{{- if $root.Values.metrics.enabled }}
DELTAPLANE_SECURITY_OPENPATHS: {{ include "deltaplane.openPaths" $root | quote }}
{{- end }}
{{- if eq $key "gateway" }}
DELTAPLANE_CONSOLE_OIDC_CLIENT_ID: {{ $root.Values.auth.oidc.consoleClientId | quote }}
DELTAPLANE_CONSOLE_OIDC_ISSUER: {{ $root.Values.auth.oidc.consoleIssuer | quote }}
DELTAPLANE_CONSOLE_OIDC_SCOPE: {{ $root.Values.auth.oidc.consoleScope | quote }}
DELTAPLANE_METADATA_URL: {{ include "deltaplane.serviceUrl" (list $root "metadata") | quote }}
DELTAPLANE_LINEAGE_URL: {{ include "deltaplane.serviceUrl" (list $root "lineage") | quote }}
DELTAPLANE_INGEST_URL: {{ include "deltaplane.serviceUrl" (list $root "ingest") | quote }}
{{- else if eq $key "metadata" }}
{{- if $app.warehouse.uri }}
DELTAPLANE_WAREHOUSE_URI: {{ $app.warehouse.uri | quote }}
{{- else }}
DELTAPLANE_WAREHOUSE_DIR: {{ $app.warehouse.path | quote }}
{{- end }}
{{- with $app.objectStorage.roots }}
DELTAPLANE_STORAGE_ROOTS: {{ join "," . | quote }}
{{- end }}
{{- include "deltaplane.objectStorageConfig" $root }}
DELTAPLANE_LINEAGE_URL: {{ include "deltaplane.serviceUrl" (list $root "lineage") | quote }}
{{- else if eq $key "lineage" }}
{{- if $app.artifacts.uri }}
DELTAPLANE_ARTIFACTS_URI: {{ $app.artifacts.uri | quote }}
{{- include "deltaplane.objectStorageConfig" $root }}
{{- else }}
DELTAPLANE_ARTIFACTS_DIR: {{ $app.artifacts.path | quote }}
{{- end }}
{{- else if eq $key "ingest" }}
DELTAPLANE_KAFKA_BOOTSTRAP: {{ $app.kafka.bootstrapServers | quote }}
DELTAPLANE_KAFKA_SESSION_TIMEOUT: {{ $app.kafka.sessionTimeout | quote }}
{{- /* Delta-table targets commit through metadata-service and report runs to lineage-service. */}}
DELTAPLANE_METADATA_URL: {{ include "deltaplane.serviceUrl" (list $root "metadata") | quote }}
DELTAPLANE_LINEAGE_URL: {{ include "deltaplane.serviceUrl" (list $root "lineage") | quote }}
DELTAPLANE_INGEST_STAGING_DIR: "/var/lib/deltaplane/ingest-staging"
DELTAPLANE_INGEST_ALLOWED_HOSTS: {{ join "," $app.policy.allowedHosts | quote }}
{{- /* Delta targets on object storage: the worker writes their data files with metadata's settings. */}}
{{- include "deltaplane.objectStorageConfig" $root }}
{{- if eq $app.warehouse.mode "motherduck" }}
DELTAPLANE_WAREHOUSE_DUCKDB: {{ printf "md:%s" (required "ingest.warehouse.motherduck.database is required in motherduck mode" $app.warehouse.motherduck.database) | quote }}
{{- else }}
DELTAPLANE_WAREHOUSE_DUCKDB: {{ $app.warehouse.duckdb.path | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The object store SDKs' settings (metadata.objectStorage), shared by metadata and the ingest worker. */}}
{{- define "deltaplane.objectStorageConfig" -}}
{{- with .Values.metadata.objectStorage.aws.region }}
AWS_REGION: {{ . | quote }}
{{- end }}
{{- with .Values.metadata.objectStorage.aws.endpointUrl }}
AWS_ENDPOINT_URL_S3: {{ . | quote }}
{{- end }}
{{- with .Values.metadata.objectStorage.azure.account }}
AZURE_STORAGE_ACCOUNT: {{ . | quote }}
{{- end }}
{{- end -}}

{{/* Settings from Secrets, by reference only: (list $ "metadata") */}}
{{- define "deltaplane.secretEnv" -}}
{{- $root := index . 0 -}}
{{- $key := index . 1 -}}
{{- $app := index $root.Values $key -}}
- name: DELTAPLANE_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "database.existingSecret is required: a Secret holding the database password" $root.Values.database.existingSecret }}
      key: {{ $root.Values.database.passwordKey }}
- name: DELTAPLANE_ADMIN_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ required "auth.existingSecret is required: a Secret holding the admin API key" $root.Values.auth.existingSecret }}
      key: {{ $root.Values.auth.adminApiKeyKey }}
{{- if or (eq $key "metadata") (eq $key "ingest") }}
- name: DELTAPLANE_SERVICE_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.auth.existingSecret }}
      key: {{ $root.Values.auth.serviceApiKeyKey | default $root.Values.auth.adminApiKeyKey }}
{{- end }}
{{- if or (eq $key "metadata") (eq $key "ingest") (and (eq $key "lineage") $app.artifacts.uri) }}
{{- with $root.Values.metadata.objectStorage.azure }}
{{- if and .existingSecret .accountKeyKey }}
- name: AZURE_STORAGE_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .accountKeyKey }}
{{- end }}
{{- if and .existingSecret .connectionStringKey }}
- name: AZURE_STORAGE_CONNECTION_STRING
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .connectionStringKey }}
{{- end }}
{{- end }}
{{- end }}
{{- if eq $key "ingest" }}
{{- if eq $app.warehouse.mode "motherduck" }}
- name: MOTHERDUCK_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ required "ingest.warehouse.motherduck.existingSecret is required in motherduck mode" $app.warehouse.motherduck.existingSecret }}
      key: {{ $app.warehouse.motherduck.tokenKey }}
{{- end }}
{{- range $app.sourceSecrets }}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .key }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Connections the apps can hold at full scale: per app, its most replicas (the HPA's maximum, else
its replica count) plus one more during a rolling update, times the pool size.
*/}}
{{- define "deltaplane.connectionsAtFullScale" -}}
{{- $total := 0 -}}
{{- range $key := list "gateway" "metadata" "lineage" "ingest" -}}
{{- $app := index $.Values $key -}}
{{- $replicas := int $app.replicaCount -}}
{{- if and $app.autoscaling $app.autoscaling.enabled -}}
{{- $replicas = int $app.autoscaling.maxReplicas -}}
{{- end -}}
{{- $total = add $total (mul (add $replicas 1) (int $.Values.database.maxPoolSize)) -}}
{{- end -}}
{{- if .Values.metadata.worker.enabled -}}
{{- $total = add $total (mul (add (int .Values.metadata.worker.replicaCount) 1) (int .Values.database.maxPoolSize)) -}}
{{- end -}}
{{- $total -}}
{{- end -}}

{{/* Fails the install when database.maxConnections is set and the apps at full scale could exceed it. */}}
{{- define "deltaplane.checkConnections" -}}
{{- $limit := int (default 0 .Values.database.maxConnections) -}}
{{- $needed := int (include "deltaplane.connectionsAtFullScale" .) -}}
{{- if and (gt $limit 0) (gt $needed $limit) -}}
{{- fail (printf "database.maxConnections is %d, but the apps at full scale can open %d connections (each app's most replicas + 1 during a rolling update, x database.maxPoolSize %d): lower maxPoolSize or the replica maximums, or raise Postgres' max_connections" $limit $needed (int .Values.database.maxPoolSize)) -}}
{{- end -}}
{{- end -}}
