import { Button, Field, Link, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { useRef, useState } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../../api/client';
import type { Address, Contact } from '../../../api/types';
import { Facts } from '../../../components/Facts';
import { FormError, LoadError } from '../../../components/FormError';
import { Loading, useLayoutStyles } from '../../../components/layout';
import { countryName, currencyName } from '../../../components/regions';
import { StatusBadge } from '../../../components/StatusBadge';
import { useEtagResource } from '../../../components/useEtagResource';
import { usePartnerSession } from '../../../session/PartnerSession';
import { AddressFields, ConflictBar, ContactFields, Group, rebaseDraft, TextField, useDraft, useFormStyles } from './fields';
import type { LegalProfile } from './types';

const useStyles = makeStyles({
  address: { display: 'flex', flexDirection: 'column' },
  docs: { margin: 0, paddingLeft: '20px' },
  muted: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  fix: { display: 'flex', flexDirection: 'column', gap: '12px', maxWidth: '560px' },
  header: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: '12px' },
});

function isWebUrl(v: string | null | undefined): v is string {
  return typeof v === 'string' && /^https?:\/\//i.test(v);
}

const fullName = (c: Contact | null) => (c ? [c.firstName, c.middleName, c.lastName].filter(Boolean).join(' ') : null);

function AddressView({ a }: { a: Address }) {
  const s = useStyles();
  const intl = useIntl();
  return (
    <span className={s.address}>
      <span>{a.addressLine1}</span>
      {a.addressLine2 && <span>{a.addressLine2}</span>}
      <span>{[a.postalCode, a.city].filter(Boolean).join(' ')}</span>
      {a.state && <span>{a.state}</span>}
      <span>{countryName(intl.locale, a.country)}</span>
    </span>
  );
}

/** The legal business profile: verification status (with "Fix now"), view and edit. */
export function LegalTab() {
  const s = useStyles();
  const l = useLayoutStyles();
  const intl = useIntl();
  const { can } = usePartnerSession();
  const res = useEtagResource<LegalProfile>('/v1/profiles/legalbusiness', [intl.locale]);
  const [editing, setEditing] = useState(false);
  const [fixing, setFixing] = useState(false);

  if (res.loadError) return <LoadError error={res.loadError} />;
  const p = res.data;
  if (!p) return <Loading />;

  return (
    <>
      <section className={l.card} aria-labelledby="legal-verification">
        <h2 id="legal-verification" className={l.sectionTitle}>
          <FormattedMessage id="legal.verification" />
        </h2>
        <div>
          <StatusBadge status={p.vettingStatus} />
        </div>
        {p.vettingStatus === 'rejected' && (
          <MessageBar intent="error" layout="multiline" data-testid="legal-rejected">
            <MessageBarBody>
              <MessageBarTitle>
                <FormattedMessage id="legal.rejected.title" />
              </MessageBarTitle>
              <FormattedMessage id="legal.rejected.reason" values={{ reason: p.rejectionReason ?? '' }} />
            </MessageBarBody>
            {can('legal.update') && !fixing && (
              <MessageBarActions>
                <Button appearance="primary" onClick={() => setFixing(true)} data-testid="legal-fix-now">
                  <FormattedMessage id="legal.fixNow" />
                </Button>
              </MessageBarActions>
            )}
          </MessageBar>
        )}
        {p.vettingStatus === 'pending_verification' && (
          <MessageBar intent="info" layout="multiline">
            <MessageBarBody>
              <FormattedMessage
                id="legal.pending"
                values={{ fields: p.pendingFields.map((f) => intl.formatMessage({ id: `legal.field.${f}` })).join(', ') || '—' }}
              />
            </MessageBarBody>
          </MessageBar>
        )}
        {fixing && <FixNow onDone={() => { setFixing(false); res.reload(); }} onCancel={() => setFixing(false)} />}
        {p.documents.length > 0 && (
          <div>
            <strong>
              <FormattedMessage id="legal.documents" />
            </strong>
            <ul className={s.docs} data-testid="legal-documents">
              {p.documents.map((d) => (
                <li key={d.id}>
                  <Link href={`/v1/profiles/legalbusiness/documents/${d.id}`}>{d.filename}</Link>{' '}
                  <span className={s.muted}>
                    <FormattedDate value={d.createdAt} dateStyle="medium" />
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
        {p.verificationComment && (
          <p className={s.muted}>
            <FormattedMessage id="legal.comment" values={{ comment: p.verificationComment }} />
          </p>
        )}
      </section>

      <section className={l.card} aria-labelledby="legal-business">
        <div className={s.header}>
          <h2 id="legal-business" className={l.sectionTitle}>
            <FormattedMessage id="legal.business" />
          </h2>
          {can('legal.update') && !editing && (
            <Button onClick={() => setEditing(true)} data-testid="legal-edit">
              <FormattedMessage id="companyProfile.edit" />
            </Button>
          )}
        </div>
        {editing ? (
          <LegalForm res={res} onClose={() => setEditing(false)} />
        ) : (
          <Facts
            items={[
              { key: 'name', label: <FormattedMessage id="legal.companyName" />, value: p.companyName, testId: 'legal-companyName' },
              { key: 'address', label: <FormattedMessage id="legal.address" />, value: <AddressView a={p.address} /> },
              { key: 'country', label: <FormattedMessage id="legal.country" />, value: countryName(intl.locale, p.country) },
              {
                key: 'currency',
                label: <FormattedMessage id="legal.currency" />,
                value: <FormattedMessage id="overview.currencyValue" values={{ code: p.currency, name: currencyName(intl.locale, p.currency) }} />,
              },
              { key: 'phone', label: <FormattedMessage id="legal.phone" />, value: p.phone || null },
              {
                key: 'website',
                label: <FormattedMessage id="legal.website" />,
                value: isWebUrl(p.website) ? (
                  <Link href={p.website} target="_blank" rel="noopener noreferrer">
                    {p.website}
                  </Link>
                ) : (
                  p.website || null
                ),
              },
              { key: 'contact', label: <FormattedMessage id="legal.contact" />, value: [fullName(p.primaryContact), p.primaryContact.email].join(' · ') },
              { key: 'approver', label: <FormattedMessage id="legal.approver" />, value: p.companyApprover ? [fullName(p.companyApprover), p.companyApprover.email].join(' · ') : null },
              { key: 'enrolled', label: <FormattedMessage id="legal.enrolledAt" />, value: <FormattedDate value={p.enrolledAt} dateStyle="long" />, testId: 'legal-enrolledAt' },
            ]}
          />
        )}
      </section>
    </>
  );
}

type Res = ReturnType<typeof useEtagResource<LegalProfile>>;

function LegalForm({ res, onClose }: { res: Res; onClose: () => void }) {
  const f = useFormStyles();
  const [draft, setDraft] = useDraft(res.data);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [reloaded, setReloaded] = useState(false);
  if (!draft || !res.data) return null;
  const nameLocked = res.data.vettingStatus === 'authorized';
  const saved = reloaded ? res.data : null;
  const emptyContact: Contact = { firstName: '', lastName: '', email: '' };
  const approverFilled = !!draft.companyApprover && Object.values(draft.companyApprover).some((v) => v);

  const submit = async () => {
    setSaving(true);
    setError(null);
    try {
      const ok = await res.save({
        companyName: draft.companyName,
        address: draft.address,
        primaryContact: draft.primaryContact,
        companyApprover: approverFilled ? draft.companyApprover : null,
        phone: draft.phone || null,
        website: draft.website || null,
      });
      if (ok) {
        setReloaded(false);
        onClose();
      }
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      noValidate
      className={f.form}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      data-testid="legal-form"
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
      <TextField
        label={<FormattedMessage id="legal.companyName" />}
        field="companyName"
        value={draft.companyName}
        onChange={(v) => setDraft({ ...draft, companyName: v })}
        error={error}
        readOnly={nameLocked}
        hint={nameLocked ? <FormattedMessage id="legal.companyNameLocked" /> : undefined}
        saved={saved?.companyName}
        required
      />
      <Group title={<FormattedMessage id="legal.address" />}>
        <AddressFields prefix="address" value={draft.address} onChange={(a) => setDraft({ ...draft, address: a })} error={error} countryLocked saved={saved?.address} />
      </Group>
      <Group title={<FormattedMessage id="legal.contact" />}>
        <ContactFields prefix="primaryContact" value={draft.primaryContact} onChange={(c) => setDraft({ ...draft, primaryContact: c })} error={error} saved={saved?.primaryContact} />
      </Group>
      <Group title={<FormattedMessage id="legal.approver" />}>
        <ContactFields prefix="companyApprover" value={draft.companyApprover ?? emptyContact} onChange={(c) => setDraft({ ...draft, companyApprover: c })} error={error} saved={saved ? (saved.companyApprover ?? emptyContact) : undefined} optional />
      </Group>
      <div className={f.grid}>
        <TextField type="tel" label={<FormattedMessage id="legal.phone" />} field="phone" value={draft.phone} onChange={(v) => setDraft({ ...draft, phone: v })} error={error} saved={saved ? saved.phone : undefined} />
        <TextField type="url" label={<FormattedMessage id="legal.website" />} field="website" value={draft.website} onChange={(v) => setDraft({ ...draft, website: v })} error={error} saved={saved ? saved.website : undefined} />
      </div>
      <p>
        <FormattedMessage id="legal.reverifyNote" />
      </p>
      <div className={f.actions}>
        <Button appearance="primary" type="submit" disabled={saving} data-testid="profile-save">
          <FormattedMessage id="companyProfile.save" />
        </Button>
        <Button onClick={onClose} disabled={saving}>
          <FormattedMessage id="common.cancel" />
        </Button>
        {saving && <Spinner size="tiny" />}
      </div>
    </form>
  );
}

/** "Fix now": a supporting document (PDF, JPG, PNG ≤ 10 MB) and a comment; the profile goes back to pending. */
function FixNow({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const s = useStyles();
  const intl = useIntl();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const q = new URLSearchParams({ filename: file.name });
      if (comment.trim()) q.set('comment', comment.trim());
      await api(`/v1/profiles/legalbusiness/documents?${q.toString()}`, { method: 'POST', rawBody: { contentType: 'application/octet-stream', data: file } });
      onDone();
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={s.fix} data-testid="legal-fix-form">
      <FormError error={error} summary />
      <Field label={intl.formatMessage({ id: 'legal.fix.file' })} hint={intl.formatMessage({ id: 'legal.fix.fileHint' })} required>
        <input ref={input} type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="legal-fix-file" />
      </Field>
      <Field label={intl.formatMessage({ id: 'legal.fix.comment' })}>
        <Textarea value={comment} onChange={(_, d) => setComment(d.value)} maxLength={1000} resize="vertical" data-testid="legal-fix-comment" />
      </Field>
      <div>
        <Button appearance="primary" disabled={!file || busy} onClick={() => void send()} data-testid="legal-fix-send">
          <FormattedMessage id="legal.fix.send" />
        </Button>{' '}
        <Button onClick={onCancel} disabled={busy}>
          <FormattedMessage id="common.cancel" />
        </Button>
      </div>
    </div>
  );
}
