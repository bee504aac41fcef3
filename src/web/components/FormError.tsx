import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';
import { ApiError, NETWORK_ERROR } from '../api/client';

const useStyles = makeStyles({
  list: { margin: 0, paddingLeft: '20px', marginTop: '4px' },
  rid: { display: 'block', marginTop: '4px', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

/** The top-level error of a form: the server's message, plus any detail not shown next to a field. */
export function FormError({
  error,
  shownFields = [],
  fieldLabels = {},
  summary = false,
}: {
  error: ApiError | null;
  /** Fields whose message is already shown next to the field. */
  shownFields?: readonly string[];
  /** Translated labels, to name a field whose message is listed here. */
  fieldLabels?: Record<string, string>;
  /** List every field's message too (for long forms, where a field may be out of sight). */
  summary?: boolean;
}) {
  const s = useStyles();
  if (!error) return null;
  const extra = summary ? error.details : error.details.filter((d) => !d.field || !shownFields.includes(d.field));
  const generic = error.code === NETWORK_ERROR || !error.message;
  return (
    <MessageBar intent="error" data-testid="form-error" layout="multiline">
      <MessageBarBody>
        {generic ? <FormattedMessage id="error.network" /> : error.message}
        {extra.length > 0 && (
          <ul className={s.list}>
            {extra.map((d, i) => (
              <li key={i}>
                {/* A field is named by its translated label; an API field code is never shown to a person. */}
                {d.field && fieldLabels[d.field] ? <FormattedMessage id="form.fieldError" values={{ field: fieldLabels[d.field], message: d.message }} /> : d.message}
              </li>
            ))}
          </ul>
        )}
        {error.requestId && error.status >= 500 && (
          <span className={s.rid}>
            <FormattedMessage id="error.requestId" values={{ id: error.requestId }} />
          </span>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}

/** Title-less variant for a page that failed to load. */
export function LoadError({ error }: { error: ApiError }) {
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>
          <FormattedMessage id="error.loadFailed" />
        </MessageBarTitle>
        {error.code === NETWORK_ERROR || !error.message ? <FormattedMessage id="error.network" /> : error.message}
      </MessageBarBody>
    </MessageBar>
  );
}

/** details[].field → message, for `Field validationMessage`. */
export function fieldErrors(error: ApiError | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!error) return out;
  for (const d of error.details) {
    if (d.field && !(d.field in out)) out[d.field] = d.message;
    else if (d.field) out[d.field] = `${out[d.field]} ${d.message}`;
  }
  return out;
}
