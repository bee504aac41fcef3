import { describe, expect, it } from 'vitest';
import { DEFAULT_REFUSED_DOMAINS } from '../../src/server/core/config';
import { AppError } from '../../src/server/core/errors';
import { checkWorkEmail } from '../../src/server/modules/enrollment/enrollment.service';
import { companyNameKey } from '../../src/server/modules/partners/partners.repo';

/** The error code checkWorkEmail throws, or 'ok'. */
function verdict(email: string, refused: readonly string[] = DEFAULT_REFUSED_DOMAINS): string {
  try {
    checkWorkEmail(email, refused);
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

describe('checkWorkEmail', () => {
  it.each([
    'jeanne.dupont@fabrikam.example',
    'j.dupont@contoso.fr',
    'you@contoso.onmicrosoft.com',
    'jeanne@governance-partners.example',
    'jeanne@lovegov.example',
    'paul@gmail.example',
    'marketing.team@fabrikam.example',
  ])('accepts the work address %s', (email) => {
    expect(verdict(email)).toBe('ok');
  });

  it.each(['x@gmail.com', 'x@outlook.com', 'x@hotmail.com', 'x@live.com', 'x@yahoo.fr', 'x@orange.fr', 'Jeanne.Dupont@GMAIL.COM', ' x@gmail.com '])(
    'refuses the personal mailbox %j',
    (email) => {
      expect(verdict(email)).toBe('EMAIL_DOMAIN_REFUSED');
    },
  );

  it.each(['x@agency.gov', 'x@service.gouv.fr', 'x@dwp.gov.uk', 'x@army.mil', 'x@hacienda.gob.es', 'x@ministry.govt.nz', 'x@AGENCY.GOV'])(
    'refuses the government domain %s',
    (email) => {
      expect(verdict(email)).toBe('EMAIL_DOMAIN_REFUSED');
    },
  );

  it.each(['info@fabrikam.example', 'admin@fabrikam.example', 'marketing@fabrikam.example', 'email@fabrikam.example', 'INFO@fabrikam.example', 'it-admin@fabrikam.example', 'info.sales@fabrikam.example', 'sysadmin@fabrikam.example', 'administration@fabrikam.example'])(
    'refuses the role address %s',
    (email) => {
      expect(verdict(email)).toBe('EMAIL_ROLE_ADDRESS_REFUSED');
    },
  );

  it.each(['padmini.rao@fabrikam.example', 'claire.badmington@fabrikam.example', 'emailia.martin@fabrikam.example'])(
    'accepts the personal address %s even when its letters contain a role word',
    (email) => {
      expect(verdict(email)).toBe('ok');
    },
  );

  it('uses the configured list of refused domains instead of the default one', () => {
    expect(verdict('x@fabrikam.example', ['fabrikam.example'])).toBe('EMAIL_DOMAIN_REFUSED');
    expect(verdict('x@gmail.com', ['fabrikam.example'])).toBe('ok');
    // Government domains are refused whatever the list says.
    expect(verdict('x@agency.gov', [])).toBe('EMAIL_DOMAIN_REFUSED');
  });

  it('names the refused domain in the error and marks the email field', () => {
    try {
      checkWorkEmail('x@gmail.com', DEFAULT_REFUSED_DOMAINS);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      const e = err as AppError;
      expect(e.status).toBe(400);
      expect(e.params).toEqual({ domain: 'gmail.com' });
      expect(e.details).toEqual([{ field: 'email', reason: 'domain_refused', message: '' }]);
    }
  });
});

describe('company name key (uniqueness and search)', () => {
  it('ignores case, accents and runs of spaces', () => {
    expect(companyNameKey('  Société   Générale  ')).toBe('societe generale');
    expect(companyNameKey('SOCIETE GENERALE')).toBe(companyNameKey('Société Générale'));
    expect(companyNameKey('Ｆａｂｒｉｋａｍ')).toBe('fabrikam');
  });

  it('keeps different names apart', () => {
    expect(companyNameKey('Fabrikam')).not.toBe(companyNameKey('Fabrikam SA'));
  });
});
