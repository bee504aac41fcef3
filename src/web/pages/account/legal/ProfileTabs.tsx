import { Button, Field, Input, Select, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, MessageBar, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState, type JSX, type ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../../api/client';
import type { Address } from '../../../api/types';
import { FormError, LoadError } from '../../../components/FormError';
import { Loading, useLayoutStyles } from '../../../components/layout';
import { useEtagResource } from '../../../components/useEtagResource';
import { usePartnerSession } from '../../../session/PartnerSession';
import { AddressFields, ConflictBar, ContactFields, fieldError, Group, rebaseDraft, TextField, useDraft, useFormStyles } from './fields';
import { COMPANY_SIZES, LANGUAGES, PARTNER_TYPES, REVENUE_BANDS, type BillingProfile, type OrganizationProfile, type SecurityContact, type SupportProfile } from './types';

const useStyles = makeStyles({
  mono: { fontFamily: tokens.fontFamilyMonospace },
  note: { margin: 0, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  done: { color: tokens.colorPaletteGreenForeground1 },
});

/**
 * One ETag-guarded profile form: load, edit a draft, save with If-Match, field errors next
 * to the fields, and the "someone else changed it" bar that reloads without losing the draft.
 */
function ProfileForm<T>({
  path,
  title,
  lead,
  canEdit,
  toBody,
  children,
  testId,
}: {
  path: string;
  title: ReactNode;
  lead?: ReactNode;
  canEdit: boolean;
  toBody: (draft: T) => unknown;
  children: (p: { draft: T; set: (d: T) => void; error: ApiError | null; saved: T | null; readOnly: boolean }) => ReactNode;
  testId: string;
}) {
  const l = useLayoutStyles();
  const f = useFormStyles();
  const s = useStyles();
  const res = useEtagResource<T>(path);
  const [draft, setDraft] = useDraft(res.data);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [reloaded, setReloaded] = useState(false);
  const [done, setDone] = useState(false);

  if (res.loadError) return <LoadError error={res.loadError} />;
  if (!draft || !res.data) return <Loading />;

  const submit = async () => {
    setSaving(true);
    setError(null);
    setDone(false);
    try {
      const ok = await res.save(toBody(draft));
      if (ok) {
        setDraft(structuredClone(ok));
        setReloaded(false);
        setDone(true);
      }
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className={l.card} data-testid={testId}>
      <h2 className={l.sectionTitle}>{title}</h2>
      {lead && <p className={s.note}>{lead}</p>}
      <form
        noValidate
        className={f.form}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <ConflictBar
          show={!!res.conflict}
          onReload={() => {
            if (res.conflict && res.data) setDraft(rebaseDraft(res.data, draft, res.conflict.data));
            res.acceptConflict();
            setReloaded(true);
          }}
        />
        <FormError error={error} summary />
        {children({ draft, set: (d) => { setDraft(d); setDone(false); }, error, saved: reloaded ? res.data : null, readOnly: !canEdit })}
        {canEdit ? (
          <div className={f.actions}>
            <Button appearance="primary" type="submit" disabled={saving} data-testid="profile-save">
              <FormattedMessage id="companyProfile.save" />
            </Button>
            {saving && <Spinner size="tiny" />}
            {done && (
              <span className={s.done} role="status">
                <FormattedMessage id="companyProfile.saved" />
              </span>
            )}
          </div>
        ) : (
          <p className={s.note}>
            <FormattedMessage id="companyProfile.readOnly" />
          </p>
        )}
      </form>
    </section>
  );
}

export function BillingTab() {
  const { can, me } = usePartnerSession();
  const f = useFormStyles();
  const globalAdmin = me.roles.some((r) => r.id === 'global-admin');
  return (
    <ProfileForm<BillingProfile>
      path="/v1/profiles/billing"
      testId="billing-profile"
      title={<FormattedMessage id="billingProfile.title" />}
      lead={<FormattedMessage id="billingProfile.lead" />}
      canEdit={can('billingprofile.update')}
      toBody={(d) => ({ address: d.address, contact: d.contact, poNumber: d.poNumber || null, taxId: d.taxId || null })}
    >
      {({ draft, set, error, saved, readOnly }) => (
        <>
          <div className={f.grid}>
            <TextField label={<FormattedMessage id="billingProfile.companyName" />} field="companyName" value={draft.companyName} error={error} readOnly />
            <TextField label={<FormattedMessage id="legal.currency" />} field="currency" value={draft.currency} error={error} readOnly />
          </div>
          <Group title={<FormattedMessage id="billingProfile.address" />}>
            <AddressFields prefix="address" value={draft.address} onChange={(a) => set({ ...draft, address: a })} error={error} disabled={readOnly || !globalAdmin} saved={saved?.address} />
            {!globalAdmin && (
              <p>
                <FormattedMessage id="billingProfile.addressGlobalAdmin" />
              </p>
            )}
          </Group>
          <Group title={<FormattedMessage id="billingProfile.contact" />}>
            <ContactFields prefix="contact" value={draft.contact} onChange={(c) => set({ ...draft, contact: c })} error={error} disabled={readOnly} saved={saved?.contact} />
          </Group>
          <div className={f.grid}>
            <TextField label={<FormattedMessage id="billingProfile.poNumber" />} field="poNumber" value={draft.poNumber} onChange={(v) => set({ ...draft, poNumber: v })} error={error} readOnly={readOnly} saved={saved ? saved.poNumber : undefined} />
            <TextField
              label={<FormattedMessage id="billingProfile.taxId" />}
              field="taxId"
              value={draft.taxId}
              onChange={(v) => set({ ...draft, taxId: v })}
              error={error}
              readOnly={readOnly}
              hint={<FormattedMessage id="billingProfile.taxIdHint" />}
              saved={saved ? saved.taxId : undefined}
            />
          </div>
        </>
      )}
    </ProfileForm>
  );
}

function EnumSelect({ label, field, value, options, prefix, onChange, error, disabled }: { label: JSX.Element; field: string; value: string | null; options: readonly string[]; prefix: string; onChange: (v: string | null) => void; error: ApiError | null; disabled: boolean }) {
  const intl = useIntl();
  const message = fieldError(error, field);
  return (
    <Field label={label} validationState={message ? 'error' : 'none'} validationMessage={message}>
      <Select value={value ?? ''} disabled={disabled} onChange={(_, d) => onChange(d.value || null)} data-testid={`field-${field}`}>
        <option value="">{intl.formatMessage({ id: 'companyProfile.notSet' })}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {intl.formatMessage({ id: `${prefix}.${o}` })}
          </option>
        ))}
      </Select>
    </Field>
  );
}

const EMPTY_ADDRESS: Address = { addressLine1: '', city: '', postalCode: '', country: 'FR' };
const codes = (v: string) =>
  v
    .split(/[\s,;]+/)
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);

export function OrganizationTab() {
  const { can, me } = usePartnerSession();
  const f = useFormStyles();
  const [markets, setMarkets] = useState<{ served: string; targeted: string } | null>(null);
  return (
    <ProfileForm<OrganizationProfile>
      path="/v1/profiles/organization"
      testId="organization-profile"
      title={<FormattedMessage id="organization.title" />}
      lead={<FormattedMessage id="organization.lead" />}
      canEdit={can('legal.update')}
      toBody={(d) => ({
        language: d.language,
        culture: d.culture || null,
        defaultAddress: d.defaultAddress && d.defaultAddress.addressLine1 ? d.defaultAddress : null,
        notificationEmail: d.notificationEmail || null,
        domain: d.domain || null,
        partnerType: d.partnerType,
        companySize: d.companySize,
        revenueBand: d.revenueBand,
        marketsServed: markets ? codes(markets.served) : d.marketsServed,
        marketsTargeted: markets ? codes(markets.targeted) : d.marketsTargeted,
      })}
    >
      {({ draft, set, error, readOnly }) => (
        <>
          <div className={f.grid}>
            <EnumSelect label={<FormattedMessage id="organization.language" />} field="language" value={draft.language} options={LANGUAGES} prefix="organization.languageName" onChange={(v) => set({ ...draft, language: v })} error={error} disabled={readOnly} />
            <TextField label={<FormattedMessage id="organization.culture" />} field="culture" value={draft.culture} onChange={(v) => set({ ...draft, culture: v })} error={error} readOnly={readOnly} hint={<FormattedMessage id="organization.cultureHint" />} />
            <TextField type="email" label={<FormattedMessage id="organization.notificationEmail" />} field="notificationEmail" value={draft.notificationEmail} onChange={(v) => set({ ...draft, notificationEmail: v })} error={error} readOnly={readOnly} />
            <TextField label={<FormattedMessage id="organization.domain" />} field="domain" value={draft.domain} onChange={(v) => set({ ...draft, domain: v })} error={error} readOnly={readOnly} />
            <EnumSelect label={<FormattedMessage id="organization.partnerType" />} field="partnerType" value={draft.partnerType} options={PARTNER_TYPES} prefix="organization.partnerTypeName" onChange={(v) => set({ ...draft, partnerType: v })} error={error} disabled={readOnly} />
            <EnumSelect label={<FormattedMessage id="organization.companySize" />} field="companySize" value={draft.companySize} options={COMPANY_SIZES} prefix="organization.companySizeName" onChange={(v) => set({ ...draft, companySize: v })} error={error} disabled={readOnly} />
            <EnumSelect label={<FormattedMessage id="organization.revenueBand" />} field="revenueBand" value={draft.revenueBand} options={REVENUE_BANDS} prefix="organization.revenueBandName" onChange={(v) => set({ ...draft, revenueBand: v })} error={error} disabled={readOnly} />
          </div>
          <div className={f.grid}>
            {(['served', 'targeted'] as const).map((k) => {
              const field = k === 'served' ? 'marketsServed' : 'marketsTargeted';
              const message = error?.details.find((d) => d.field?.startsWith(field))?.message;
              return (
                <Field key={k} label={<FormattedMessage id={`organization.${field}`} />} hint={<FormattedMessage id="organization.marketsHint" />} validationState={message ? 'error' : 'none'} validationMessage={message}>
                  <Input
                    value={markets ? markets[k] : draft[field].join(', ')}
                    disabled={readOnly}
                    onChange={(_, d) => setMarkets({ served: markets?.served ?? draft.marketsServed.join(', '), targeted: markets?.targeted ?? draft.marketsTargeted.join(', '), [k]: d.value })}
                    data-testid={`field-${field}`}
                  />
                </Field>
              );
            })}
          </div>
          <Group title={<FormattedMessage id="organization.defaultAddress" />}>
            <AddressFields prefix="defaultAddress" value={draft.defaultAddress ?? { ...EMPTY_ADDRESS, country: me.partner.country }} onChange={(a) => set({ ...draft, defaultAddress: a })} error={error} disabled={readOnly} />
          </Group>
        </>
      )}
    </ProfileForm>
  );
}

export function SupportTab() {
  const { can } = usePartnerSession();
  const f = useFormStyles();
  return (
    <ProfileForm<SupportProfile>
      path="/v1/profiles/support"
      testId="support-profile"
      title={<FormattedMessage id="supportProfile.title" />}
      lead={<FormattedMessage id="supportProfile.lead" />}
      canEdit={can('legal.update')}
      toBody={(d) => ({ email: d.email ?? '', telephone: d.telephone ?? '', website: d.website || null })}
    >
      {({ draft, set, error, saved, readOnly }) => (
        <div className={f.grid}>
          <TextField type="email" label={<FormattedMessage id="supportProfile.email" />} field="email" value={draft.email} onChange={(v) => set({ ...draft, email: v })} error={error} readOnly={readOnly} saved={saved ? saved.email : undefined} required />
          <TextField type="tel" label={<FormattedMessage id="supportProfile.telephone" />} field="telephone" value={draft.telephone} onChange={(v) => set({ ...draft, telephone: v })} error={error} readOnly={readOnly} saved={saved ? saved.telephone : undefined} hint={<FormattedMessage id="companyProfile.phoneHint" />} required />
          <TextField type="url" label={<FormattedMessage id="supportProfile.website" />} field="website" value={draft.website} onChange={(v) => set({ ...draft, website: v })} error={error} readOnly={readOnly} saved={saved ? saved.website : undefined} hint={<FormattedMessage id="supportProfile.websiteHint" />} />
        </div>
      )}
    </ProfileForm>
  );
}

export function SecurityContactTab() {
  const { can } = usePartnerSession();
  const f = useFormStyles();
  return (
    <ProfileForm<SecurityContact>
      path="/v1/profiles/securitycontact"
      testId="security-contact"
      title={<FormattedMessage id="securityContact.title" />}
      lead={<FormattedMessage id="securityContact.lead" />}
      canEdit={can('securitycontact.update')}
      toBody={(d) => ({ firstName: d.firstName ?? '', middleName: d.middleName || null, lastName: d.lastName ?? '', email: d.email ?? '', phoneNumber: d.phoneNumber ?? '' })}
    >
      {({ draft, set, error, saved, readOnly }) => (
        <div className={f.grid}>
          {(['firstName', 'middleName', 'lastName', 'email', 'phoneNumber'] as const).map((k) => (
            <TextField
              key={k}
              type={k === 'email' ? 'email' : k === 'phoneNumber' ? 'tel' : 'text'}
              label={<FormattedMessage id={`securityContact.${k}`} />}
              field={k}
              value={draft[k]}
              onChange={(v) => set({ ...draft, [k]: v })}
              error={error}
              readOnly={readOnly}
              saved={saved ? saved[k] : undefined}
              required={k !== 'middleName'}
            />
          ))}
        </div>
      )}
    </ProfileForm>
  );
}

/** The partner id and, when the company has some, its location ids. */
export function IdentifiersTab() {
  const l = useLayoutStyles();
  const s = useStyles();
  const intl = useIntl();
  const { me } = usePartnerSession();
  const [locations, setLocations] = useState<{ id: string; name: string }[] | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    api<{ items: { id: string; name: string }[] }>('/v1/locations?size=500', { signal: ctl.signal }).then(
      (r) => setLocations(r.items),
      () => setLocations([]),
    );
    return () => ctl.abort();
  }, []);
  return (
    <section className={l.card} data-testid="identifiers">
      <h2 className={l.sectionTitle}>
        <FormattedMessage id="identifiers.title" />
      </h2>
      <Table aria-label={intl.formatMessage({ id: 'identifiers.title' })}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>
              <FormattedMessage id="identifiers.name" />
            </TableHeaderCell>
            <TableHeaderCell>
              <FormattedMessage id="identifiers.id" />
            </TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          <TableRow>
            <TableCell>
              <FormattedMessage id="identifiers.partnerId" values={{ company: me.partner.companyName }} />
            </TableCell>
            <TableCell>
              <span className={s.mono} data-testid="identifiers-partner-id">
                {me.partner.id}
              </span>
            </TableCell>
          </TableRow>
          {locations?.map((loc) => (
            <TableRow key={loc.id}>
              <TableCell>
                <FormattedMessage id="identifiers.location" values={{ name: loc.name }} />
              </TableCell>
              <TableCell>
                <span className={s.mono}>{loc.id}</span>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {locations === null && <Spinner size="tiny" />}
      {locations?.length === 0 && (
        <MessageBar intent="info">
          <MessageBarBody>
            <FormattedMessage id="identifiers.noLocations" />
          </MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
