import { Avatar, Field, MessageBar, MessageBarBody, Radio, RadioGroup, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { Locale } from '../../api/types';
import { useFullName } from '../../components/AccountMenu';
import { Facts } from '../../components/Facts';
import { PasswordChangeForm } from '../../components/PasswordChangeForm';
import { RolePills } from '../../components/RolePills';
import { Page, useLayoutStyles } from '../../components/layout';
import { LOCALES, isLocale, useLocale } from '../../i18n/LocaleProvider';
import { usePartnerSession } from '../../session/PartnerSession';
import { SessionsCard } from './SessionsCard';
import { MfaCard } from './MfaCard';

const useStyles = makeStyles({
  who: { display: 'flex', alignItems: 'center', gap: '16px' },
  whoName: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  whoMail: { color: tokens.colorNeutralForeground3 },
  whoText: { display: 'flex', flexDirection: 'column', gap: '2px' },
  note: { margin: 0, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

/** My profile: who I am, my roles, my language. */
export default function ProfilePage() {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const { me, can, changeLocale } = usePartnerSession();
  const { locale } = useLocale();
  const name = useFullName(me.user.firstName, me.user.lastName);
  const [saved, setSaved] = useState(false);
  const [pwChanged, setPwChanged] = useState(false);

  async function pick(value: string) {
    if (!isLocale(value) || value === locale) return;
    setSaved(false);
    setSaved(await changeLocale(value as Locale));
  }

  return (
    <Page title={<FormattedMessage id="profile.title" />} subtitle={<FormattedMessage id="profile.lead" />}>
      <section className={l.card} aria-labelledby="profile-about">
        <h2 id="profile-about" className={l.sectionTitle}>
          <FormattedMessage id="profile.about" />
        </h2>
        <div className={s.who}>
          <Avatar name={name} size={56} color="colorful" aria-hidden="true" />
          <div className={s.whoText}>
            <span className={s.whoName}>{name}</span>
            <span className={s.whoMail}>{me.user.email}</span>
          </div>
        </div>
        <Facts
          items={[
            { key: 'name', label: <FormattedMessage id="profile.name" />, value: name, testId: 'profile-name' },
            { key: 'email', label: <FormattedMessage id="profile.email" />, value: me.user.email, testId: 'profile-email' },
            { key: 'company', label: <FormattedMessage id="profile.company" />, value: me.partner.companyName },
            {
              key: 'roles',
              label: <FormattedMessage id="profile.roles" />,
              value: <RolePills roles={me.roles} testId="profile-roles" />,
            },
          ]}
        />
      </section>
      <section className={l.card} aria-labelledby="profile-language">
        <h2 id="profile-language" className={l.sectionTitle}>
          <FormattedMessage id="profile.language" />
        </h2>
        <Field label={intl.formatMessage({ id: 'profile.languageLabel' })} hint={intl.formatMessage({ id: 'profile.languageHint' })}>
          <RadioGroup value={locale} onChange={(_, d) => void pick(d.value)} data-testid="profile-language">
            {LOCALES.map((code) => (
              <Radio key={code} value={code} lang={code} label={intl.formatMessage({ id: `lang.${code}` })} data-testid={`profile-lang-${code}`} />
            ))}
          </RadioGroup>
        </Field>
        {saved && (
          <MessageBar intent="success">
            <MessageBarBody>
              <FormattedMessage id="profile.languageSaved" />
            </MessageBarBody>
          </MessageBar>
        )}
      </section>
      <MfaCard />
      <SessionsCard />
      {can('me.update') && (
        <section className={l.card} aria-labelledby="profile-password">
          <h2 id="profile-password" className={l.sectionTitle}>
            <FormattedMessage id="password.title" />
          </h2>
          {pwChanged && (
            <MessageBar intent="success" data-testid="pw-success">
              <MessageBarBody>
                <FormattedMessage id="password.changed" />
              </MessageBarBody>
            </MessageBar>
          )}
          <PasswordChangeForm onChanged={() => setPwChanged(true)} />
        </section>
      )}
    </Page>
  );
}
