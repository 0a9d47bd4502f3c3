/**
 * [auth.email], its SMTP server, templates and notifications → `auth`, as the CLI 2.99 sends them
 * (auth.go `email.toAuthConfigBody`, `smtp.toAuthConfigBody`; config.go `email.validate`, which
 * reads each `content_path`). A template's `content_path` is relative to the directory holding
 * `supabase/`, a notification's to `supabase/` itself (config.go `resolve`): the CLI differs, so
 * the import does too. Its text becomes an `${include:…}` reference.
 */
import type { TableRule } from '../model.js';
import { field, isOn } from './field.js';

const email: TableRule = {
  table: 'auth.email',
  section: 'auth',
  fields: [
    field('enable_signup', 'external_email_enabled', 'boolean'),
    field('double_confirm_changes', 'mailer_secure_email_change_enabled', 'boolean'),
    field('enable_confirmations', 'mailer_autoconfirm', 'boolean', { negate: true }),
    field('secure_password_change', 'security_update_password_require_reauthentication', 'boolean'),
    field('max_frequency', 'smtp_max_frequency', 'seconds'),
    field('otp_length', 'mailer_otp_length', 'integer'),
    field('otp_expiry', 'mailer_otp_exp', 'integer'),
  ],
};

const smtp: TableRule = {
  table: 'auth.email.smtp',
  section: 'auth',
  // Off, the CLI sends only an empty host (which turns the project's own SMTP server off). A table
  // with keys but no `enabled` is on; an empty one is off (config.go `load`).
  switch: {
    key: 'enabled',
    default: (table) => Object.keys(table).length > 0,
    off: { smtp_host: '' },
    offNote: 'SMTP is disabled: only smtp_host = "" is sent',
  },
  fields: [
    field('host', 'smtp_host', 'string'),
    field('port', 'smtp_port', 'integer'),
    field('user', 'smtp_user', 'string'),
    field('pass', 'smtp_pass', 'string', { secret: true, onlyIfSet: true }),
    field('admin_email', 'smtp_admin_email', 'string'),
    field('sender_name', 'smtp_sender_name', 'string'),
  ],
};

/** The templates config push sends, by their config.toml names. */
export const EMAIL_TEMPLATES = ['invite', 'confirmation', 'recovery', 'magic_link', 'email_change', 'reauthentication'] as const;

const templates: TableRule[] = EMAIL_TEMPLATES.map((name) => ({
  table: `auth.email.template.${name}`,
  section: 'auth',
  fields: [
    field('subject', `mailer_subjects_${name}`, 'string'),
    field('content_path', `mailer_templates_${name}_content`, 'include', { base: 'repo' }),
  ],
}));

/** The security notifications config push sends. */
export const EMAIL_NOTIFICATIONS = [
  'password_changed',
  'email_changed',
  'phone_changed',
  'identity_linked',
  'identity_unlinked',
  'mfa_factor_enrolled',
  'mfa_factor_unenrolled',
] as const;

const notifications: TableRule[] = EMAIL_NOTIFICATIONS.map((name) => ({
  table: `auth.email.notification.${name}`,
  section: 'auth',
  fields: [
    field('enabled', `mailer_notifications_${name}_enabled`, 'boolean', { whenAbsent: false }),
    field('subject', `mailer_subjects_${name}_notification`, 'string'),
    // The CLI reads a notification's file only while it is enabled (config.go `email.validate`).
    field('content_path', `mailer_templates_${name}_notification_content`, 'include', {
      base: 'supabase',
      unless: (ctx) => (isOn(ctx.get(`auth.email.notification.${name}.enabled`)) ? undefined : 'the notification is disabled: its file is not read or sent'),
    }),
  ],
}));

export const AUTH_EMAIL_TABLES: readonly TableRule[] = [email, smtp, ...templates, ...notifications];
