/**
 * Storage config of a new project: GET /v1/projects/{ref}/config/storage as recorded from the real API
 * (vendor/fixtures/supabase-cli-recorded/recorded/GET_v1_projects___PROJECT_REF___config_storage/3.response.json), unchanged.
 */
export const STORAGE_CONFIG_DEFAULTS: Readonly<Record<string, unknown>> = {
  "fileSizeLimit": 52428800,
  "features": {
    "imageTransformation": {
      "enabled": true
    },
    "s3Protocol": {
      "enabled": true
    },
    "icebergCatalog": {
      "enabled": true,
      "maxNamespaces": 10,
      "maxTables": 10,
      "maxCatalogs": 2
    },
    "vectorBuckets": {
      "enabled": true,
      "maxBuckets": 10,
      "maxIndexes": 5
    }
  },
  "capabilities": {
    "list_v2": true,
    "iceberg_catalog": true
  },
  "external": {
    "upstreamTarget": "canary"
  },
  "migrationVersion": "operation-ergonomics",
  "databasePoolMode": "recycled"
};
