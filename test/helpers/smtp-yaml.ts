/**
 * The auth keys of an SMTP sender whose password is the secret `${SMTP_PASSWORD}`, as YAML lines
 * indented under `auth:`: the daemon and container tests' way to put a secret in a configuration.
 */
export const SMTP_AUTH_LINES = `  smtp_admin_email: no-reply@example.com
  smtp_host: smtp.example.com
  smtp_port: 587
  smtp_user: apikey
  smtp_pass: \${SMTP_PASSWORD}
  smtp_sender_name: Example
`;
