/**
 * [auth.sms] and its providers → `auth`, as the CLI 2.99 sends them (auth.go `sms.toAuthConfigBody`,
 * config.go `sms.validate`). Two of its ways are kept on purpose, since the point is to hold what
 * config push set:
 * - `enable_confirmations` is sent as `sms_autoconfirm` as it is (not negated, unlike the email one);
 * - only the first enabled provider (twilio, twilio_verify, messagebird, textlocal, vonage) is sent,
 *   and without one the CLI turns phone sign-up off.
 * `test_otp` is sent with a validity of ten years from the day of the push; that date is not imported.
 */
import type { RuleContext, TableRule } from '../model.js';
import { field, isOn } from './field.js';

export const SMS_PROVIDERS = ['twilio', 'twilio_verify', 'messagebird', 'textlocal', 'vonage'] as const;

/** The provider the CLI sends: the first enabled one, in its order. */
export const smsProvider = (ctx: RuleContext): string | undefined => SMS_PROVIDERS.find((p) => isOn(ctx.get(`auth.sms.${p}.enabled`)));

const sms: TableRule = {
  table: 'auth.sms',
  section: 'auth',
  fields: [
    field('enable_signup', 'external_phone_enabled', 'boolean', {
      adjust: (value, ctx) =>
        value === true && !smsProvider(ctx) ? { value: false, note: 'no SMS provider is enabled, so the CLI sends external_phone_enabled = false' } : { value },
    }),
    field('enable_confirmations', 'sms_autoconfirm', 'boolean'),
    field('template', 'sms_template', 'string'),
    field('max_frequency', 'sms_max_frequency', 'seconds'),
    field('test_otp', 'sms_test_otp', 'pairs', { onlyIfSet: true }),
  ],
};

const notFirst = (provider: string) => (ctx: RuleContext) => {
  const first = smsProvider(ctx);
  return first && first !== provider ? `only the first enabled SMS provider (${first}) is sent` : undefined;
};

const providerTable = (provider: string, fields: TableRule['fields']): TableRule => ({
  table: `auth.sms.${provider}`,
  section: 'auth',
  switch: { key: 'enabled', default: false, offNote: 'the provider is disabled: nothing of it is sent' },
  constants: { sms_provider: provider },
  unless: notFirst(provider),
  fields,
});

const providers: TableRule[] = [
  providerTable('twilio', [
    field('account_sid', 'sms_twilio_account_sid', 'string'),
    field('message_service_sid', 'sms_twilio_message_service_sid', 'string'),
    field('auth_token', 'sms_twilio_auth_token', 'string', { secret: true, onlyIfSet: true }),
  ]),
  providerTable('twilio_verify', [
    field('account_sid', 'sms_twilio_verify_account_sid', 'string'),
    field('message_service_sid', 'sms_twilio_verify_message_service_sid', 'string'),
    field('auth_token', 'sms_twilio_verify_auth_token', 'string', { secret: true, onlyIfSet: true }),
  ]),
  providerTable('messagebird', [
    field('originator', 'sms_messagebird_originator', 'string'),
    field('access_key', 'sms_messagebird_access_key', 'string', { secret: true, onlyIfSet: true }),
  ]),
  providerTable('textlocal', [
    field('sender', 'sms_textlocal_sender', 'string'),
    field('api_key', 'sms_textlocal_api_key', 'string', { secret: true, onlyIfSet: true }),
  ]),
  providerTable('vonage', [
    field('from', 'sms_vonage_from', 'string'),
    // A secret field for the API (answered as a hash), though the CLI keeps it as plain text.
    field('api_key', 'sms_vonage_api_key', 'string', { secret: true }),
    field('api_secret', 'sms_vonage_api_secret', 'string', { secret: true, onlyIfSet: true }),
  ]),
];

export const AUTH_SMS_TABLES: readonly TableRule[] = [sms, ...providers];
