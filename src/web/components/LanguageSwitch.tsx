import { Button, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { FormattedMessage, useIntl } from 'react-intl';
import type { Locale } from '../api/types';
import { LOCALES, useLocale } from '../i18n/LocaleProvider';

const useStyles = makeStyles({
  group: { display: 'flex', alignItems: 'center', gap: '2px' },
  btn: {
    minWidth: 'auto',
    color: tokens.colorNeutralForegroundInverted2,
    ':hover': { color: tokens.colorNeutralForegroundOnBrand, backgroundColor: 'rgba(255,255,255,0.12)' },
    ':hover:active': { color: tokens.colorNeutralForegroundOnBrand, backgroundColor: 'rgba(255,255,255,0.18)' },
  },
  current: {
    color: tokens.colorNeutralForegroundOnBrand,
    fontWeight: tokens.fontWeightSemibold,
    textDecorationLine: 'underline',
    textUnderlineOffset: '4px',
  },
});

/**
 * The language switch of the public pages (and the operator console): the choice
 * is remembered on this device (localStorage `ps.locale`).
 */
export function LanguageSwitch({ onChange }: { onChange?: (l: Locale) => void }) {
  const s = useStyles();
  const intl = useIntl();
  const { locale, setLocale } = useLocale();
  return (
    <div className={s.group} role="group" aria-label={intl.formatMessage({ id: 'lang.switch' })}>
      {LOCALES.map((l) => (
        <Button
          key={l}
          size="small"
          appearance="transparent"
          className={mergeClasses(s.btn, l === locale && s.current)}
          aria-pressed={l === locale}
          lang={l}
          data-testid={`lang-switch-${l}`}
          onClick={() => {
            setLocale(l, { remember: true });
            onChange?.(l);
          }}
        >
          <FormattedMessage id={`lang.${l}`} />
        </Button>
      ))}
    </div>
  );
}
