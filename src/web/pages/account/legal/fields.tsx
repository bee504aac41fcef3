import { Button, Field, Input, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Select, makeStyles, tokens } from '@fluentui/react-components';
import { useState, type JSX, type ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../../api/client';
import type { Address, Contact } from '../../../api/types';
import countryToCurrency from 'country-to-currency';
import { countryName } from '../../../components/regions';

/** The countries with a currency (the server's list). */
export const COUNTRY_CODES = Object.keys(countryToCurrency as Record<string, string>).sort();

export const useFormStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '12px', maxWidth: '720px' },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: '12px', alignItems: 'start', '& > *': { minWidth: 0 } },
  select: { minWidth: 0, width: '100%', '& select': { minWidth: 0 } },
  group: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: '12px 16px 16px', margin: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, paddingInline: '4px' },
  actions: { display: 'flex', gap: '8px', alignItems: 'center', marginTop: '4px' },
  saved: { color: tokens.colorPaletteMarigoldForeground2 },
});

/** The message of the server's detail for `field` (the API names fields as JSON paths). */
export function fieldError(error: ApiError | null, field: string): string | undefined {
  return error?.details.find((d) => d.field === field)?.message;
}

/** A text field bound to a draft, with its translated server error and, after a conflict, the saved value. */
export function TextField(props: {
  label: JSX.Element;
  value: string | null | undefined;
  onChange?: (v: string) => void;
  field: string;
  error: ApiError | null;
  readOnly?: boolean;
  type?: 'text' | 'email' | 'tel' | 'url';
  hint?: JSX.Element | undefined;
  /** The server's current value, shown when it differs from the draft (after "someone else changed it"). */
  saved?: string | null | undefined;
  required?: boolean;
}) {
  const s = useFormStyles();
  const message = fieldError(props.error, props.field);
  const showSaved = props.saved !== undefined && (props.saved ?? '') !== (props.value ?? '');
  return (
    <Field
      label={props.label}
      required={props.required ?? false}
      validationState={message ? 'error' : 'none'}
      validationMessage={message}
      hint={
        showSaved ? (
          <span className={s.saved}>
            <FormattedMessage id="companyProfile.savedValue" values={{ value: props.saved || '—' }} />
          </span>
        ) : (
          props.hint
        )
      }
    >
      <Input
        value={props.value ?? ''}
        type={props.type ?? 'text'}
        readOnly={props.readOnly ?? false}
        disabled={props.readOnly ?? false}
        onChange={(_, d) => props.onChange?.(d.value)}
        data-testid={`field-${props.field}`}
      />
    </Field>
  );
}

export function CountrySelect({ label, value, onChange, field, error, disabled }: { label: JSX.Element; value: string; onChange: (v: string) => void; field: string; error: ApiError | null; disabled?: boolean }) {
  const intl = useIntl();
  const s = useFormStyles();
  const message = fieldError(error, field);
  const sorted = COUNTRY_CODES.map((c) => ({ c, name: countryName(intl.locale, c) })).sort((x, y) => x.name.localeCompare(y.name, intl.locale));
  return (
    <Field label={label} validationState={message ? 'error' : 'none'} validationMessage={message}>
      <Select className={s.select} value={value} disabled={disabled ?? false} onChange={(_, d) => onChange(d.value)} data-testid={`field-${field}`}>
        {sorted.map(({ c, name }) => (
          <option key={c} value={c}>
            {name}
          </option>
        ))}
      </Select>
    </Field>
  );
}

export function AddressFields({
  prefix,
  value,
  onChange,
  error,
  disabled,
  countryLocked,
  saved,
}: {
  prefix: string;
  value: Address;
  onChange: (a: Address) => void;
  error: ApiError | null;
  disabled?: boolean;
  countryLocked?: boolean;
  saved?: Address | null | undefined;
}) {
  const s = useFormStyles();
  const set = (k: keyof Address) => (v: string) => onChange({ ...value, [k]: v || undefined });
  const common = { error, readOnly: disabled ?? false };
  return (
    <div className={s.grid}>
      <TextField {...common} label={<FormattedMessage id="enroll.addressLine1" />} field={`${prefix}.addressLine1`} value={value.addressLine1} onChange={set('addressLine1')} saved={saved?.addressLine1} required />
      <TextField {...common} label={<FormattedMessage id="enroll.addressLine2" />} field={`${prefix}.addressLine2`} value={value.addressLine2} onChange={set('addressLine2')} saved={saved ? (saved.addressLine2 ?? null) : undefined} />
      <TextField {...common} label={<FormattedMessage id="enroll.city" />} field={`${prefix}.city`} value={value.city} onChange={set('city')} saved={saved?.city} required />
      <TextField {...common} label={<FormattedMessage id="enroll.postalCode" />} field={`${prefix}.postalCode`} value={value.postalCode} onChange={set('postalCode')} saved={saved?.postalCode} required />
      <TextField {...common} label={<FormattedMessage id="enroll.state" />} field={`${prefix}.state`} value={value.state} onChange={set('state')} saved={saved ? (saved.state ?? null) : undefined} />
      <CountrySelect label={<FormattedMessage id="enroll.country" />} field={`${prefix}.country`} value={value.country} onChange={set('country')} error={error} disabled={(disabled ?? false) || (countryLocked ?? false)} />
    </div>
  );
}

export function ContactFields({ prefix, value, onChange, error, disabled, saved, optional }: { prefix: string; value: Contact; onChange: (c: Contact) => void; error: ApiError | null; disabled?: boolean; saved?: Contact | null | undefined; optional?: boolean }) {
  const s = useFormStyles();
  const set = (k: keyof Contact) => (v: string) => onChange({ ...value, [k]: v || undefined } as Contact);
  const common = { error, readOnly: disabled ?? false };
  return (
    <div className={s.grid}>
      <TextField {...common} label={<FormattedMessage id="enroll.contact.firstName" />} field={`${prefix}.firstName`} value={value.firstName} onChange={set('firstName')} saved={saved?.firstName} required={!optional} />
      <TextField {...common} label={<FormattedMessage id="enroll.contact.lastName" />} field={`${prefix}.lastName`} value={value.lastName} onChange={set('lastName')} saved={saved?.lastName} required={!optional} />
      <TextField {...common} type="email" label={<FormattedMessage id="enroll.contact.email" />} field={`${prefix}.email`} value={value.email} onChange={set('email')} saved={saved?.email} required={!optional} />
      <TextField {...common} type="tel" label={<FormattedMessage id="enroll.contact.phoneNumber" />} field={`${prefix}.phoneNumber`} value={value.phoneNumber} onChange={set('phoneNumber')} saved={saved ? (saved.phoneNumber ?? null) : undefined} />
    </div>
  );
}

export function Group({ title, children }: { title: ReactNode; children: ReactNode }) {
  const s = useFormStyles();
  return (
    <fieldset className={s.group}>
      <legend className={s.legend}>{title}</legend>
      {children}
    </fieldset>
  );
}

/** "Someone else changed this": reload their version as the base, keeping what the user typed. */
export function ConflictBar({ show, onReload }: { show: boolean; onReload: () => void }) {
  if (!show) return null;
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="etag-conflict">
      <MessageBarBody>
        <MessageBarTitle>
          <FormattedMessage id="companyProfile.conflict.title" />
        </MessageBarTitle>
        <FormattedMessage id="companyProfile.conflict.body" />
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={onReload} data-testid="etag-reload">
          <FormattedMessage id="companyProfile.conflict.reload" />
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const sameValue = (a: unknown, b: unknown): boolean =>
  isRecord(a) || isRecord(b) || Array.isArray(a) || Array.isArray(b) ? JSON.stringify(a ?? null) === JSON.stringify(b ?? null) : (a ?? '') === (b ?? '');

/**
 * The draft after "Reload their version": every field the user did not change from the version
 * they started from (`base`) takes the other person's saved value (`theirs`); what the user typed
 * stays. Without this, saving again would silently put back the stale values of untouched fields.
 */
export function rebaseDraft<T>(base: T, mine: T, theirs: T): T {
  if (sameValue(mine, base)) return structuredClone(theirs);
  if (isRecord(base) && isRecord(mine) && isRecord(theirs)) {
    const out: Record<string, unknown> = { ...mine };
    for (const k of new Set([...Object.keys(base), ...Object.keys(mine), ...Object.keys(theirs)])) out[k] = rebaseDraft(base[k], mine[k], theirs[k]);
    return out as T;
  }
  return mine;
}

/** A form's draft of a resource, started from the server's data once (a reload after a conflict keeps it). */
export function useDraft<T>(data: T | null): [T | null, (d: T) => void] {
  const [draft, setDraft] = useState<T | null>(null);
  if (draft === null && data !== null) {
    setDraft(structuredClone(data));
  }
  return [draft, setDraft];
}
