import {
  Button,
  Checkbox,
  Combobox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Select,
  Tab,
  TabList,
  Tag,
  TagGroup,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import type { Address } from '../../api/types';
import { fieldErrors, FormError, LoadError } from '../../components/FormError';
import { AppLink } from '../../components/AppLink';
import { Loading, Page, useLayoutStyles } from '../../components/layout';
import { countryName } from '../../components/regions';
import { useLocale } from '../../i18n/LocaleProvider';
import { usePartnerSession } from '../../session/PartnerSession';
import { PRODUCTS } from '../../../shared/taxonomy';
import { charCount, EXTRA_LANGUAGES, languageName, type BusinessProfile, type ProfileOptions } from './businessProfileModel';
import { RolesCard, StatusPill } from './BusinessProfiles';

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(2, minmax(0, 1fr))',
    gap: '12px 16px',
    alignItems: 'start',
    '@media (max-width: 640px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  full: { gridColumn: '1 / -1' },
  text: { margin: 0, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  checks: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: '0 12px' },
  row: { display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap' },
  actions: { display: 'flex', gap: '8px', flexWrap: 'wrap', alignItems: 'center' },
  toolbar: { display: 'flex', gap: '12px 16px', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between' },
  logoBox: { display: 'flex', gap: '16px', alignItems: 'center', flexWrap: 'wrap' },
  logo: {
    maxWidth: '150px',
    maxHeight: '150px',
    objectFit: 'contain',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    padding: '4px',
  },
  counter: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
  counterOver: { fontSize: tokens.fontSizeBase200, color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  list: { margin: 0, padding: 0, listStyle: 'none', display: 'flex', flexDirection: 'column', gap: '8px' },
  item: {
    display: 'flex',
    justifyContent: 'space-between',
    gap: '8px',
    alignItems: 'center',
    flexWrap: 'wrap',
    padding: '8px 12px',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  footer: {
    position: 'sticky',
    bottom: 0,
    zIndex: 1,
    display: 'flex',
    gap: '12px',
    alignItems: 'center',
    flexWrap: 'wrap',
    padding: '12px 16px',
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow8,
    borderRadius: tokens.borderRadiusLarge,
  },
  hidden: { display: 'none' },
  surface: { maxWidth: '640px', width: '100%' },
});

interface FormState {
  description: Record<string, string>;
  industries: string[];
  products: string[];
  services: string[];
  skills: string[];
  customerSizes: string[];
  website: string;
  linkedIn: string;
  leadName: string;
  leadEmail: string;
  leadPhone: string;
}

function formOf(p: BusinessProfile): FormState {
  return {
    description: { ...p.description },
    industries: [...p.industries],
    products: [...p.products],
    services: [...p.services],
    skills: [...p.skills],
    customerSizes: [...p.customerSizes],
    website: p.website ?? '',
    linkedIn: p.linkedIn ?? '',
    leadName: p.leadContact?.name ?? '',
    leadEmail: p.leadContact?.email ?? '',
    leadPhone: p.leadContact?.phone ?? '',
  };
}

/** The PUT body: every field but the locations (saved on their own) and the logo. Emptied languages are left out. */
function bodyOf(f: FormState) {
  const description = Object.fromEntries(Object.entries(f.description).filter(([, t]) => t.trim()));
  const lead = f.leadName.trim() || f.leadEmail.trim() || f.leadPhone.trim() ? { name: f.leadName, email: f.leadEmail, phone: f.leadPhone.trim() || null } : null;
  return {
    description,
    industries: f.industries,
    products: f.products,
    services: f.services,
    skills: f.skills,
    customerSizes: f.customerSizes,
    website: f.website.trim(),
    linkedIn: f.linkedIn.trim(),
    leadContact: lead,
  };
}

const sameForm = (a: FormState, b: FormState) => JSON.stringify(bodyOf(a)) === JSON.stringify(bodyOf(b));

/** Field (API path) → label message id; list items (industries.3) take their list's label. */
const LABELS: Record<string, string> = {
  description: 'bp.section.description',
  industries: 'bp.industries',
  products: 'bp.products',
  services: 'bp.services',
  skills: 'bp.skills',
  customerSizes: 'bp.customerSizes',
  website: 'bp.website',
  linkedIn: 'bp.linkedIn',
  locations: 'bp.section.locations',
  leadContact: 'bp.section.leadContact',
  'leadContact.name': 'bp.leadName',
  'leadContact.email': 'bp.leadEmail',
  'leadContact.phone': 'bp.leadPhone',
  file: 'bp.section.logo',
};

/** Referrals → Business profiles → one profile: every section, the life cycle, the logo and the locations. */
export default function BusinessProfileEditor() {
  const { id = '' } = useParams();
  const s = useStyles();
  const intl = useIntl();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const { can } = usePartnerSession();
  const manage = can('businessprofile.manage');
  const canDelete = can('businessprofile.delete');
  const path = `/v1/businessprofiles/${encodeURIComponent(id)}`;

  const [profile, setProfile] = useState<BusinessProfile | null>(null);
  const [form, setForm] = useState<FormState | null>(null);
  const [options, setOptions] = useState<ProfileOptions | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<BusinessProfile | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const etag = useRef('');

  /** Take a server answer as the new base (its ETag too); the form is left alone unless asked. */
  const accept = useCallback((p: BusinessProfile, resetForm = false) => {
    setProfile(p);
    etag.current = p.etag;
    if (resetForm) setForm(formOf(p));
  }, []);

  useEffect(() => {
    const ctl = new AbortController();
    Promise.all([api<BusinessProfile>(path, { signal: ctl.signal }), api<ProfileOptions>('/v1/businessprofiles/options', { signal: ctl.signal })]).then(
      ([p, o]) => {
        accept(p, true);
        setOptions(o);
      },
      (e: unknown) => {
        if (e instanceof ApiError && !e.isAuthFailure) setLoadError(e);
      },
    );
    return () => ctl.abort();
  }, [path, accept]);

  /** A write answered 412: someone else saved first. Keep what the user typed, take their version as the base. */
  const onStale = useCallback(async () => {
    try {
      const current = await api<BusinessProfile>(path);
      setConflict(current);
      accept(current);
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    }
  }, [path, accept]);

  /** Run a write; answers the new profile, or null after showing why it failed. */
  const write = useCallback(
    async (run: () => Promise<BusinessProfile>, ok?: string): Promise<BusinessProfile | null> => {
      setBusy(true);
      setError(null);
      setNotice(null);
      try {
        const p = await run();
        accept(p);
        if (ok) setNotice(ok);
        return p;
      } catch (e) {
        if (e instanceof ApiError && !e.isAuthFailure) {
          if (e.status === 412) await onStale();
          else setError(e);
        }
        return null;
      } finally {
        setBusy(false);
      }
    },
    [accept, onStale],
  );

  if (loadError) return <Page title={<FormattedMessage id="bp.title" />}><LoadError error={loadError} /></Page>;
  if (!profile || !form || !options) return <Loading />;

  const country = countryName(locale, profile.country);
  const dirty = !sameForm(form, formOf(profile));
  const overLimit = Object.values(form.description).some((t) => charCount(t) > options.limits.descriptionChars);
  const readOnly = !manage;
  const errs = fieldErrors(error);
  const labelOf = (field: string) => {
    if (field.startsWith('description.')) return intl.formatMessage({ id: 'bp.descriptionIn' }, { language: languageName(locale, field.split('.')[1] ?? '') });
    const key = field in LABELS ? field : field.split('.')[0]!;
    return LABELS[key] ? intl.formatMessage({ id: LABELS[key] }) : '';
  };
  const fieldLabels = Object.fromEntries((error?.details ?? []).filter((d) => d.field).map((d) => [d.field!, labelOf(d.field!)]));
  const shownInline = ['website', 'linkedIn', 'leadContact.name', 'leadContact.email', 'leadContact.phone', ...Object.keys(form.description).map((c) => `description.${c}`)];
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setForm((f) => (f ? { ...f, [k]: v } : f));

  const save = (e?: FormEvent) => {
    e?.preventDefault();
    if (!dirty || overLimit || readOnly) return;
    void write(() => api<BusinessProfile>(path, { method: 'PUT', body: bodyOf(form), headers: { 'If-Match': etag.current } }), 'bp.saved').then((p) => {
      if (p) {
        setConflict(null);
        setForm(formOf(p));
      }
    });
  };
  const lifecycle = (action: 'publish' | 'unpublish') =>
    void write(() => api<BusinessProfile>(`${path}/${action}`, { method: 'POST', headers: { 'If-Match': etag.current } }), action === 'publish' ? 'bp.publishedNow' : 'bp.unpublishedNow');

  async function remove() {
    setBusy(true);
    try {
      await api<void>(path, { method: 'DELETE', headers: { 'If-Match': etag.current } });
      navigate('/referrals/profiles');
    } catch (e) {
      setDeleting(false);
      if (e instanceof ApiError && !e.isAuthFailure) {
        if (e.status === 412) await onStale();
        else setError(e);
      }
    }
    setBusy(false);
  }

  return (
    <Page
      title={<FormattedMessage id="bp.editorTitle" values={{ country }} />}
      subtitle={<FormattedMessage id="bp.displayName" values={{ name: profile.displayName }} />}
    >
      <div className={s.toolbar}>
        <AppLink to="/referrals/profiles">
          <FormattedMessage id="bp.back" />
        </AppLink>
        <div className={s.actions}>
          <StatusPill status={profile.status} />
          <Button onClick={() => navigate(`/referrals/profiles/${profile.id}/preview`)} data-testid="bp-preview">
            <FormattedMessage id="bp.preview" />
          </Button>
          {manage &&
            (profile.status === 'draft' ? (
              <Button appearance="primary" disabled={busy || dirty} onClick={() => lifecycle('publish')} data-testid="bp-publish">
                <FormattedMessage id="bp.publish" />
              </Button>
            ) : (
              <Button disabled={busy} onClick={() => lifecycle('unpublish')} data-testid="bp-unpublish">
                <FormattedMessage id="bp.unpublish" />
              </Button>
            ))}
          {canDelete && (
            <Button disabled={busy} onClick={() => setDeleting(true)} data-testid="bp-delete">
              <FormattedMessage id="bp.delete" />
            </Button>
          )}
        </div>
      </div>
      {readOnly && (
        <MessageBar intent="info" layout="multiline" data-testid="bp-readonly">
          <MessageBarBody>
            <FormattedMessage id="bp.readOnly" />
          </MessageBarBody>
        </MessageBar>
      )}
      <MessageBar intent={profile.status === 'published' ? 'success' : 'info'} layout="multiline" data-testid="bp-state">
        <MessageBarBody>
          {profile.status === 'published' && profile.publishedAt ? (
            <FormattedMessage id="bp.publishedNote" values={{ date: intl.formatDate(profile.publishedAt, { dateStyle: 'long', timeStyle: 'short' }) }} />
          ) : (
            <>
              <FormattedMessage id="bp.draftNote" /> <FormattedMessage id="bp.publishRules" />
            </>
          )}
        </MessageBarBody>
      </MessageBar>
      {conflict && (
        <MessageBar intent="warning" layout="multiline" data-testid="bp-conflict">
          <MessageBarBody>
            <MessageBarTitle>
              <FormattedMessage id="bp.conflictTitle" />
            </MessageBarTitle>
            <FormattedMessage id="bp.conflictText" />
          </MessageBarBody>
          <MessageBarActions>
            <Button
              size="small"
              onClick={() => {
                setForm(formOf(conflict));
                setConflict(null);
              }}
              data-testid="bp-take-theirs"
            >
              <FormattedMessage id="bp.conflictTakeTheirs" />
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {notice && (
        <MessageBar intent="success" data-testid="bp-notice">
          <MessageBarBody>
            <FormattedMessage id={notice} />
          </MessageBarBody>
        </MessageBar>
      )}
      <FormError error={error} shownFields={shownInline} fieldLabels={fieldLabels} />

      <form onSubmit={save} noValidate>
        <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0, display: 'flex', flexDirection: 'column', gap: '20px' }}>
          <DescriptionSection form={form} max={options.limits.descriptionChars} errors={errs} onChange={(d) => set('description', d)} />
          <LogoSection
            profile={profile}
            readOnly={readOnly}
            path={path}
            onSaved={(p, ok) => {
              if (p) accept(p);
              setNotice(ok ?? null);
            }}
          />
          <Section titleId="bp.section.links">
            <div className={s.grid}>
              <Field label={<FormattedMessage id="bp.website" />} hint={intl.formatMessage({ id: 'bp.websiteHint' })} validationMessage={errs.website} validationState={errs.website ? 'error' : 'none'}>
                <Input type="url" value={form.website} onChange={(_, d) => set('website', d.value)} data-testid="bp-website" />
              </Field>
              <Field label={<FormattedMessage id="bp.linkedIn" />} hint={intl.formatMessage({ id: 'bp.linkedInHint' })} validationMessage={errs.linkedIn} validationState={errs.linkedIn ? 'error' : 'none'}>
                <Input type="url" value={form.linkedIn} onChange={(_, d) => set('linkedIn', d.value)} data-testid="bp-linkedin" />
              </Field>
            </div>
          </Section>
          <ExpertiseSection form={form} options={options} set={set} />
          <LocationsSection profile={profile} max={options.limits.locations} readOnly={readOnly} write={write} path={path} etag={etag} onSaved={(p) => accept(p)} onStale={onStale} />
          <Section titleId="bp.section.leadContact" textId="bp.leadContactText">
            <div className={s.grid}>
              <Field label={<FormattedMessage id="bp.leadName" />} validationMessage={errs['leadContact.name']} validationState={errs['leadContact.name'] ? 'error' : 'none'}>
                <Input value={form.leadName} onChange={(_, d) => set('leadName', d.value)} data-testid="bp-lead-name" />
              </Field>
              <Field label={<FormattedMessage id="bp.leadEmail" />} validationMessage={errs['leadContact.email']} validationState={errs['leadContact.email'] ? 'error' : 'none'}>
                <Input type="email" value={form.leadEmail} onChange={(_, d) => set('leadEmail', d.value)} data-testid="bp-lead-email" />
              </Field>
              <Field label={<FormattedMessage id="bp.leadPhone" />} validationMessage={errs['leadContact.phone']} validationState={errs['leadContact.phone'] ? 'error' : 'none'}>
                <Input type="tel" value={form.leadPhone} onChange={(_, d) => set('leadPhone', d.value)} data-testid="bp-lead-phone" />
              </Field>
            </div>
          </Section>
          {manage && (
            <div className={s.footer}>
              <Button appearance="primary" type="submit" disabled={busy || !dirty || overLimit} data-testid="bp-save">
                <FormattedMessage id={conflict ? 'bp.saveMine' : 'bp.save'} />
              </Button>
              {dirty && (
                <span className={s.text} data-testid="bp-unsaved">
                  <FormattedMessage id="bp.unsaved" /> {profile.status === 'draft' && <FormattedMessage id="bp.publishSaveFirst" />}
                </span>
              )}
              {!dirty && (
                <span className={s.text}>
                  <FormattedMessage id="bp.col.updated" />
                  {': '}
                  <FormattedDate value={profile.updatedAt} dateStyle="medium" timeStyle="short" />
                </span>
              )}
            </div>
          )}
        </fieldset>
      </form>
      <RolesCard />

      <Dialog open={deleting} onOpenChange={(_, d) => !d.open && setDeleting(false)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>
              <FormattedMessage id="bp.deleteTitle" values={{ country }} />
            </DialogTitle>
            <DialogContent>
              <FormattedMessage id="bp.deleteText" />
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" disabled={busy} onClick={() => void remove()} data-testid="bp-confirm-delete">
                <FormattedMessage id="bp.deleteConfirm" />
              </Button>
              <Button onClick={() => setDeleting(false)}>
                <FormattedMessage id="common.cancel" />
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </Page>
  );
}

function Section({ titleId, textId, values, children, testId }: { titleId: string; textId?: string; values?: Record<string, ReactNode>; children: ReactNode; testId?: string }) {
  const l = useLayoutStyles();
  const s = useStyles();
  return (
    <section className={l.card} data-testid={testId}>
      <h2 className={l.sectionTitle}>
        <FormattedMessage id={titleId} />
      </h2>
      {textId && (
        <p className={s.text}>
          <FormattedMessage id={textId} values={values} />
        </p>
      )}
      {children}
    </section>
  );
}

/** One text per language: French and English always offered, others on request; a counter against the 2,500 limit. */
function DescriptionSection({ form, max, errors, onChange }: { form: FormState; max: number; errors: Record<string, string>; onChange: (d: Record<string, string>) => void }) {
  const s = useStyles();
  const intl = useIntl();
  const { locale } = useLocale();
  const languages = useMemo(() => ['fr', 'en', ...Object.keys(form.description).filter((c) => c !== 'fr' && c !== 'en')], [form.description]);
  const [current, setCurrent] = useState<string>(locale === 'en' ? 'en' : 'fr');
  const lang = languages.includes(current) ? current : 'fr';
  const text = form.description[lang] ?? '';
  const count = charCount(text);
  const over = count - max;
  const addable = EXTRA_LANGUAGES.filter((c) => !languages.includes(c)).sort((a, b) => languageName(locale, a).localeCompare(languageName(locale, b), locale));
  const serverError = errors[`description.${lang}`] ?? errors.description;

  return (
    <Section titleId="bp.section.description" textId="bp.section.descriptionText" testId="bp-description">
      <div className={s.row}>
        <TabList selectedValue={lang} onTabSelect={(_, d) => setCurrent(String(d.value))} aria-label={intl.formatMessage({ id: 'bp.language' })}>
          {languages.map((c) => (
            <Tab key={c} value={c} data-testid={`bp-lang-${c}`}>
              {languageName(locale, c)}
              {form.description[c]?.trim() ? ' ✓' : ''}
            </Tab>
          ))}
        </TabList>
        {addable.length > 0 && (
          <Select
            aria-label={intl.formatMessage({ id: 'bp.addLanguage' })}
            value=""
            onChange={(_, d) => {
              if (!d.value) return;
              onChange({ ...form.description, [d.value]: '' });
              setCurrent(d.value);
            }}
            data-testid="bp-add-language"
          >
            <option value="">{intl.formatMessage({ id: 'bp.addLanguage' })}</option>
            {addable.map((c) => (
              <option key={c} value={c}>
                {languageName(locale, c)}
              </option>
            ))}
          </Select>
        )}
      </div>
      <Field
        label={<FormattedMessage id="bp.descriptionIn" values={{ language: languageName(locale, lang) }} />}
        validationState={over > 0 || serverError ? 'error' : 'none'}
        validationMessage={over > 0 ? intl.formatMessage({ id: 'bp.overLimit' }, { over, max }) : serverError}
      >
        <Textarea
          value={text}
          rows={8}
          resize="vertical"
          lang={lang}
          onChange={(_, d) => onChange({ ...form.description, [lang]: d.value })}
          data-testid="bp-description-text"
        />
      </Field>
      <div className={s.row} style={{ justifyContent: 'space-between' }}>
        <span className={over > 0 ? s.counterOver : s.counter} data-testid="bp-counter" aria-live="polite">
          <FormattedMessage id="bp.counter" values={{ count, max }} />
        </span>
        {lang !== 'fr' && lang !== 'en' && (
          <Button
            size="small"
            onClick={() => {
              const next = { ...form.description };
              delete next[lang];
              onChange(next);
              setCurrent('fr');
            }}
            data-testid="bp-remove-language"
          >
            <FormattedMessage id="bp.removeLanguage" />
          </Button>
        )}
      </div>
    </Section>
  );
}

type Write = (run: () => Promise<BusinessProfile>, ok?: string) => Promise<BusinessProfile | null>;

/**
 * Upload (sent as is; the server checks the content), replace or remove the logo: saved at
 * once. A refusal is shown here, next to the logo, with the server's reason (not an image,
 * too small, too large).
 */
function LogoSection({ profile, readOnly, path, onSaved }: { profile: BusinessProfile; readOnly: boolean; path: string; onSaved: (p: BusinessProfile | null, notice?: string) => void }) {
  const s = useStyles();
  const intl = useIntl();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (call: () => Promise<BusinessProfile>, notice?: string) => {
    setBusy(true);
    setError(null);
    onSaved(null);
    try {
      onSaved(await call(), notice);
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) setError(e);
    }
    setBusy(false);
  };
  const upload = (file: File) => void run(() => api<BusinessProfile>(`${path}/logo`, { method: 'PUT', rawBody: { contentType: 'application/octet-stream', data: file } }), 'bp.logoUploaded');
  return (
    <Section titleId="bp.section.logo" textId="bp.logoRules" testId="bp-logo">
      <div className={s.logoBox}>
        {profile.logo ? (
          <>
            <img className={s.logo} src={profile.logo.url} alt={intl.formatMessage({ id: 'bp.logoAlt' }, { name: profile.displayName })} data-testid="bp-logo-img" />
            <span className={s.text}>
              <FormattedMessage id="bp.logoSize" values={{ width: profile.logo.width, height: profile.logo.height }} />
            </span>
          </>
        ) : (
          <span className={s.text}>
            <FormattedMessage id="bp.logoNone" />
          </span>
        )}
      </div>
      {error && (
        <MessageBar intent="error" layout="multiline" data-testid="bp-logo-error">
          <MessageBarBody>{error.details.find((d) => d.message)?.message ?? error.message}</MessageBarBody>
        </MessageBar>
      )}
      {!readOnly && (
        <div className={s.row}>
          <input
            ref={input}
            className={s.hidden}
            type="file"
            accept="image/png,image/jpeg,image/gif"
            data-testid="bp-logo-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) upload(f);
            }}
          />
          <Button disabled={busy} onClick={() => input.current?.click()} data-testid="bp-logo-upload">
            <FormattedMessage id={profile.logo ? 'bp.logoReplace' : 'bp.logoUpload'} />
          </Button>
          {profile.logo && (
            <Button disabled={busy} onClick={() => void run(() => api<BusinessProfile>(`${path}/logo`, { method: 'DELETE' }))} data-testid="bp-logo-remove">
              <FormattedMessage id="bp.logoRemove" />
            </Button>
          )}
        </div>
      )}
    </Section>
  );
}

/** Industries (at most 5, a clear message at the 6th), products, service types, free skills, customer sizes. */
function ExpertiseSection({ form, options, set }: { form: FormState; options: ProfileOptions; set: <K extends keyof FormState>(k: K, v: FormState[K]) => void }) {
  const s = useStyles();
  const intl = useIntl();
  const [industryLimit, setIndustryLimit] = useState(false);
  const [productQuery, setProductQuery] = useState('');
  const [productLimit, setProductLimit] = useState(false);
  const [skill, setSkill] = useState('');
  const [skillProblem, setSkillProblem] = useState<string | null>(null);
  const { limits } = options;

  const productLabel = (v: string) => ((PRODUCTS as readonly string[]).includes(v) ? intl.formatMessage({ id: `taxonomy.products.${v}` }) : v);
  const productMatches = useMemo(() => {
    const q = productQuery.trim().toLocaleLowerCase();
    return options.products.items.filter((v) => !q || productLabel(v).toLocaleLowerCase().includes(q)).slice(0, 50);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [productQuery, options.products.items]);

  const toggleIndustry = (v: string, on: boolean) => {
    if (on && form.industries.length >= limits.industries) {
      setIndustryLimit(true);
      return;
    }
    setIndustryLimit(false);
    set('industries', on ? [...form.industries, v] : form.industries.filter((x) => x !== v));
  };
  const toggle = (k: 'services' | 'customerSizes', v: string, on: boolean) => set(k, on ? [...form[k], v] : form[k].filter((x) => x !== v));
  const addSkill = () => {
    const v = skill.trim().replace(/\s+/g, ' ');
    if (!v) return;
    if ([...v].length > limits.skillChars) return setSkillProblem(intl.formatMessage({ id: 'bp.skillTooLong' }, { max: limits.skillChars }));
    if (form.skills.length >= limits.skills) return setSkillProblem(intl.formatMessage({ id: 'bp.skillsMax' }, { max: limits.skills }));
    setSkillProblem(null);
    if (!form.skills.some((x) => x.toLocaleLowerCase() === v.toLocaleLowerCase())) set('skills', [...form.skills, v]);
    setSkill('');
  };

  return (
    <Section titleId="bp.section.expertise" testId="bp-expertise">
      <Field
        label={<FormattedMessage id="bp.industries" />}
        hint={intl.formatMessage({ id: 'bp.industriesHint' }, { max: limits.industries })}
        validationState={industryLimit ? 'warning' : 'none'}
        validationMessage={industryLimit ? intl.formatMessage({ id: 'bp.industriesMax' }, { max: limits.industries }) : undefined}
      >
        <div className={s.checks} data-testid="bp-industries" role="group" aria-label={intl.formatMessage({ id: 'bp.industries' })}>
          {options.industries.map((v) => (
            <Checkbox key={v} checked={form.industries.includes(v)} label={intl.formatMessage({ id: `taxonomy.industries.${v}` })} onChange={(_, d) => toggleIndustry(v, d.checked === true)} data-value={v} />
          ))}
        </div>
      </Field>

      <Field
        label={<FormattedMessage id="bp.products" />}
        hint={intl.formatMessage({ id: options.products.source === 'catalog' ? 'bp.productsHint' : 'bp.productsManagedHint' }, { max: limits.products })}
        validationState={productLimit ? 'warning' : 'none'}
        validationMessage={productLimit ? intl.formatMessage({ id: 'bp.productsMax' }, { max: limits.products }) : undefined}
      >
        <Combobox
          multiselect
          freeform
          placeholder={intl.formatMessage({ id: 'bp.productsPlaceholder' })}
          value={productQuery}
          selectedOptions={form.products}
          onChange={(e) => setProductQuery(e.target.value)}
          onOptionSelect={(_, d) => {
            if (d.selectedOptions.length > limits.products) return setProductLimit(true);
            setProductLimit(false);
            set('products', d.selectedOptions);
            setProductQuery('');
          }}
          data-testid="bp-products"
        >
          {productMatches.map((v) => (
            <Option key={v} value={v} text={productLabel(v)}>
              {productLabel(v)}
            </Option>
          ))}
        </Combobox>
      </Field>
      {form.products.length > 0 && (
        <TagGroup onDismiss={(_, d) => set('products', form.products.filter((x) => x !== d.value))} data-testid="bp-product-tags">
          {form.products.map((v) => (
            <Tag key={v} value={v} dismissible dismissIcon={{ 'aria-label': intl.formatMessage({ id: 'bp.skillRemove' }, { skill: productLabel(v) }) }}>
              {productLabel(v)}
            </Tag>
          ))}
        </TagGroup>
      )}

      <Field label={<FormattedMessage id="bp.services" />}>
        <div className={s.checks} data-testid="bp-services" role="group" aria-label={intl.formatMessage({ id: 'bp.services' })}>
          {options.services.map((v) => (
            <Checkbox key={v} checked={form.services.includes(v)} label={intl.formatMessage({ id: `taxonomy.services.${v}` })} onChange={(_, d) => toggle('services', v, d.checked === true)} />
          ))}
        </div>
      </Field>

      <Field
        label={<FormattedMessage id="bp.skills" />}
        hint={intl.formatMessage({ id: 'bp.skillsHint' }, { max: limits.skills, chars: limits.skillChars })}
        validationState={skillProblem ? 'warning' : 'none'}
        validationMessage={skillProblem ?? undefined}
      >
        <div className={s.row}>
          <Input
            value={skill}
            placeholder={intl.formatMessage({ id: 'bp.skillPlaceholder' })}
            onChange={(_, d) => setSkill(d.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                addSkill();
              }
            }}
            data-testid="bp-skill-input"
          />
          <Button onClick={addSkill} data-testid="bp-skill-add">
            <FormattedMessage id="bp.skillAdd" />
          </Button>
        </div>
      </Field>
      {form.skills.length > 0 && (
        <TagGroup onDismiss={(_, d) => set('skills', form.skills.filter((x) => x !== d.value))} data-testid="bp-skills">
          {form.skills.map((v) => (
            <Tag key={v} value={v} dismissible dismissIcon={{ 'aria-label': intl.formatMessage({ id: 'bp.skillRemove' }, { skill: v }) }}>
              {v}
            </Tag>
          ))}
        </TagGroup>
      )}

      <Field label={<FormattedMessage id="bp.customerSizes" />}>
        <div className={s.checks} data-testid="bp-sizes" role="group" aria-label={intl.formatMessage({ id: 'bp.customerSizes' })}>
          {options.customerSizes.map((v) => (
            <Checkbox key={v} checked={form.customerSizes.includes(v)} label={intl.formatMessage({ id: `taxonomy.customerSizes.${v}` })} onChange={(_, d) => toggle('customerSizes', v, d.checked === true)} />
          ))}
        </div>
      </Field>
    </Section>
  );
}

type LocationField = 'addressLine1' | 'addressLine2' | 'postalCode' | 'city' | 'state' | 'phoneNumber';
const LOCATION_LABELS: Record<LocationField, string> = {
  addressLine1: 'enroll.addressLine1',
  addressLine2: 'enroll.addressLine2',
  postalCode: 'enroll.postalCode',
  city: 'enroll.city',
  state: 'enroll.state',
  phoneNumber: 'bp.locationPhone',
};
const REQUIRED_LOCATION = new Set<LocationField>(['addressLine1', 'postalCode', 'city']);
const emptyLocation = (): Record<LocationField, string> => ({ addressLine1: '', addressLine2: '', postalCode: '', city: '', state: '', phoneNumber: '' });

/** Up to 5 addresses in the profile's country, each saved at once (a PUT of the locations only). */
function LocationsSection({ profile, max, readOnly, write, path, etag, onSaved, onStale }: { profile: BusinessProfile; max: number; readOnly: boolean; write: Write; path: string; etag: { current: string }; onSaved: (p: BusinessProfile) => void; onStale: () => Promise<void> }) {
  const s = useStyles();
  const { locale } = useLocale();
  const [editing, setEditing] = useState<{ index: number | null } | null>(null);
  const full = profile.locations.length >= max;
  const line = (a: Address) => [a.addressLine1, a.addressLine2, [a.postalCode, a.city].filter(Boolean).join(' '), a.state].filter(Boolean).join(', ');
  const remove = (i: number) =>
    void write(() => api<BusinessProfile>(path, { method: 'PUT', body: { locations: profile.locations.filter((_, j) => j !== i) }, headers: { 'If-Match': etag.current } }));

  return (
    <Section titleId="bp.section.locations" textId="bp.locationsText" values={{ max, country: countryName(locale, profile.country) }} testId="bp-locations">
      {profile.locations.length === 0 ? (
        <p className={s.text} data-testid="bp-locations-empty">
          <FormattedMessage id="bp.locationsEmpty" />
        </p>
      ) : (
        <ul className={s.list}>
          {profile.locations.map((a, i) => (
            <li key={`${i}-${a.addressLine1}`} className={s.item} data-testid="bp-location">
              <span>{line(a)}</span>
              {!readOnly && (
                <span className={s.actions}>
                  <Button size="small" onClick={() => setEditing({ index: i })}>
                    <FormattedMessage id="bp.locationEdit" />
                  </Button>
                  <Button size="small" onClick={() => remove(i)} data-testid="bp-location-remove">
                    <FormattedMessage id="bp.locationRemove" />
                  </Button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {!readOnly &&
        (full ? (
          <p className={s.text} data-testid="bp-locations-full">
            <FormattedMessage id="bp.locationsFull" values={{ max }} />
          </p>
        ) : (
          <div>
            <Button onClick={() => setEditing({ index: null })} data-testid="bp-location-add">
              <FormattedMessage id="bp.locationAdd" />
            </Button>
          </div>
        ))}
      {editing && <LocationDialog profile={profile} index={editing.index} max={max} path={path} etag={etag} onSaved={onSaved} onStale={onStale} onClose={() => setEditing(null)} />}
    </Section>
  );
}

function LocationDialog({ profile, index, max, path, etag, onSaved, onStale, onClose }: { profile: BusinessProfile; index: number | null; max: number; path: string; etag: { current: string }; onSaved: (p: BusinessProfile) => void; onStale: () => Promise<void>; onClose: () => void }) {
  const s = useStyles();
  const intl = useIntl();
  const { locale } = useLocale();
  const [values, setValues] = useState<Record<LocationField, string>>(() => {
    const a = index !== null ? profile.locations[index] : undefined;
    return a ? { ...emptyLocation(), ...Object.fromEntries(Object.entries(a).filter(([k]) => k in LOCATION_LABELS)) } : emptyLocation();
  });
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  // The index the dialog's address has in the list sent: its errors come back as locations.<i>.<field>.
  const at = index ?? profile.locations.length;
  const errs = Object.fromEntries(Object.entries(fieldErrors(error)).flatMap(([k, v]) => (k.startsWith(`locations.${at}.`) ? [[k.slice(`locations.${at}.`.length), v]] : k === 'locations' ? [['addressLine1', v]] : [])));
  const labels = Object.fromEntries(Object.entries(LOCATION_LABELS).map(([k, id]) => [`locations.${at}.${k}`, intl.formatMessage({ id })]));
  const room = profile.locations.length + (index === null ? 1 : 0) < max;

  async function submit(another: boolean) {
    setBusy(true);
    setError(null);
    setSaved(false);
    const address: Address = { addressLine1: values.addressLine1, city: values.city, postalCode: values.postalCode, country: profile.country };
    for (const k of ['addressLine2', 'state', 'phoneNumber'] as const) if (values[k].trim()) (address as unknown as Record<string, string>)[k] = values[k].trim();
    const next = index === null ? [...profile.locations, address] : profile.locations.map((a, i) => (i === index ? address : a));
    try {
      const p = await api<BusinessProfile>(path, { method: 'PUT', body: { locations: next }, headers: { 'If-Match': etag.current } });
      onSaved(p);
      if (another) {
        setValues(emptyLocation());
        setSaved(true);
      } else onClose();
    } catch (e) {
      if (e instanceof ApiError && !e.isAuthFailure) {
        // Someone else saved the profile: the editor takes their version (and ETag); this dialog keeps the address for another try.
        if (e.status === 412) await onStale();
        setError(e);
      }
    }
    setBusy(false);
  }

  const field = (f: LocationField, full = false) => (
    <Field key={f} label={<FormattedMessage id={LOCATION_LABELS[f]} />} required={REQUIRED_LOCATION.has(f)} className={full ? s.full : undefined} validationMessage={errs[f]} validationState={errs[f] ? 'error' : 'none'}>
      <Input value={values[f]} type={f === 'phoneNumber' ? 'tel' : 'text'} onChange={(_, d) => setValues((v) => ({ ...v, [f]: d.value }))} data-testid={`bp-location-${f}`} />
    </Field>
  );

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface className={s.surface}>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            // The dialog is portalled out of the editor's DOM but not out of its React tree: its submit must not also submit the editor's form.
            e.stopPropagation();
            void submit(false);
          }}
        >
          <DialogBody>
            <DialogTitle>
              <FormattedMessage id={index === null ? 'bp.locationDialogAdd' : 'bp.locationDialogEdit'} />
            </DialogTitle>
            <DialogContent style={{ display: 'flex', flexDirection: 'column', gap: '12px' }}>
              {saved && (
                <MessageBar intent="success" data-testid="bp-location-saved">
                  <MessageBarBody>
                    <FormattedMessage id="bp.locationSavedAnother" />
                  </MessageBarBody>
                </MessageBar>
              )}
              <FormError error={error} shownFields={Object.keys(labels)} fieldLabels={labels} />
              <p className={s.text}>
                <FormattedMessage id="bp.locationCountry" values={{ country: countryName(locale, profile.country) }} />
              </p>
              <div className={s.grid}>
                {field('addressLine1', true)}
                {field('addressLine2', true)}
                {field('postalCode')}
                {field('city')}
                {field('state')}
                {field('phoneNumber')}
              </div>
            </DialogContent>
            <DialogActions fluid>
              <Button appearance="primary" type="submit" disabled={busy} data-testid="bp-location-save">
                <FormattedMessage id="bp.locationSave" />
              </Button>
              {index === null && room && (
                <Button disabled={busy} onClick={() => void submit(true)} data-testid="bp-location-save-another">
                  <FormattedMessage id="bp.locationSaveAnother" />
                </Button>
              )}
              <Button onClick={onClose}>
                <FormattedMessage id="common.cancel" />
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
