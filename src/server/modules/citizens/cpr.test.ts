// CPR parsing rules: the century table, real dates only, modulus 11 as a flag, replacement numbers, masking, search helpers.
import { describe, expect, it } from 'vitest';
import { ageOn, ageOrNull, birthDatePrefix, looksLikeFullCpr, maskCpr, maskCprLike, parseCpr } from './cpr.ts';

function birthDateOf(input: string): string {
  const r = parseCpr(input);
  if (!r.ok) throw new Error(`expected ${input} to parse, got ${r.problem}`);
  return r.value.birthDate;
}

function problemOf(input: string): string {
  const r = parseCpr(input);
  return r.ok ? 'ok' : r.problem;
}

// Independent of the module: the check digit that makes the weighted sum divisible by 11, or null if none does.
function withValidCheckDigit(nineDigits: string): string | null {
  const weights = [4, 3, 2, 7, 6, 5, 4, 3, 2];
  const sum = [...nineDigits].reduce((acc, c, i) => acc + Number(c) * (weights[i] ?? 0), 0);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? null : nineDigits + String(check);
}

describe('century from the 7th digit and the year', () => {
  it('7th digit 0–3 always gives 1900–1999', () => {
    expect(birthDateOf('010100-0001')).toBe('1900-01-01');
    expect(birthDateOf('150536-1002')).toBe('1936-05-15');
    expect(birthDateOf('150558-2003')).toBe('1958-05-15');
    expect(birthDateOf('311299-3004')).toBe('1999-12-31');
  });

  it('7th digit 4 gives 2000–2036 up to year 36 and 1937–1999 from year 37', () => {
    expect(birthDateOf('010100-4001')).toBe('2000-01-01');
    expect(birthDateOf('010136-4001')).toBe('2036-01-01');
    expect(birthDateOf('010137-4001')).toBe('1937-01-01');
    expect(birthDateOf('010199-4001')).toBe('1999-01-01');
  });

  it('7th digit 9 follows the same split as 4', () => {
    expect(birthDateOf('010136-9001')).toBe('2036-01-01');
    expect(birthDateOf('010137-9001')).toBe('1937-01-01');
  });

  it('7th digit 5–8 gives 2000–2057 up to year 57 and 1858–1899 from year 58', () => {
    expect(birthDateOf('010100-5001')).toBe('2000-01-01');
    expect(birthDateOf('010157-5001')).toBe('2057-01-01');
    expect(birthDateOf('010158-5001')).toBe('1858-01-01');
    expect(birthDateOf('010157-8001')).toBe('2057-01-01');
    expect(birthDateOf('010158-8001')).toBe('1858-01-01');
    expect(birthDateOf('010199-6001')).toBe('1899-01-01');
    expect(birthDateOf('010120-7001')).toBe('2020-01-01');
  });
});

describe('leap years follow the full year the century rule gives', () => {
  it('29 February 2000 is valid (7th digit 4)', () => {
    expect(birthDateOf('290200-4001')).toBe('2000-02-29');
  });

  it('29 February 1900 is rejected (7th digit 0–3: 1900 is not a leap year)', () => {
    expect(problemOf('290200-0001')).toBe('date');
    expect(problemOf('290200-3001')).toBe('date');
  });

  it('29 February 1996 is valid, 29 February 1997 is not', () => {
    expect(birthDateOf('290296-1001')).toBe('1996-02-29');
    expect(problemOf('290297-1001')).toBe('date');
  });
});

describe('impossible dates are rejected as date problems', () => {
  it.each([
    ['day 32', '320180-1001'],
    ['day 00', '000180-1001'],
    ['month 13', '011380-1001'],
    ['month 00', '010080-1001'],
    ['31 April', '310480-1001'],
    ['31 February', '310289-1001'],
    ['day 60 (neither a real nor a replacement day)', '600180-1001'],
  ])('%s', (_rule, input) => {
    expect(problemOf(input)).toBe('date');
  });
});

describe('modulus 11 is a soft flag, never a rejection', () => {
  it('a number failing modulus 11 is accepted with mod11Valid false', () => {
    const r = parseCpr('010180-1234');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.mod11Valid).toBe(false);
  });

  it('a number checked by hand (670761-4283: weighted sum 176 = 16 × 11) has mod11Valid true', () => {
    const r = parseCpr('670761-4283');
    expect(r.ok && r.value.mod11Valid).toBe(true);
  });

  it('a check digit computed in the test gives mod11Valid true, and any other last digit gives false', () => {
    const valid = withValidCheckDigit('010180123');
    expect(valid).not.toBeNull();
    const digits = valid ?? '';
    expect(parseCpr(digits)).toMatchObject({ ok: true, value: { mod11Valid: true } });
    const wrong = digits.slice(0, 9) + String((Number(digits[9]) + 1) % 10);
    expect(parseCpr(wrong)).toMatchObject({ ok: true, value: { mod11Valid: false } });
  });
});

describe('replacement numbers (day + 60)', () => {
  it('are accepted, flagged, with the real birth date', () => {
    const r = parseCpr('670761-4283');
    expect(r).toEqual({
      ok: true,
      value: {
        digits: '6707614283',
        formatted: '670761-4283',
        masked: '670761-xxxx',
        birthDate: '1961-07-07',
        isReplacement: true,
        mod11Valid: true,
        sexDigitOdd: true,
      },
    });
  });

  it('cover the whole range 61–91 (the 1st to the 31st)', () => {
    expect(parseCpr('610190-4001')).toMatchObject({ ok: true, value: { birthDate: '1990-01-01', isReplacement: true } });
    expect(parseCpr('910190-4001')).toMatchObject({ ok: true, value: { birthDate: '1990-01-31', isReplacement: true } });
  });

  it('must still be a real date once 60 is taken off', () => {
    expect(problemOf('920190-4001')).toBe('date');
    expect(problemOf('910490-4001')).toBe('date');
    expect(problemOf('890201-0001')).toBe('date');
    expect(parseCpr('890200-4001')).toMatchObject({ ok: true, value: { birthDate: '2000-02-29', isReplacement: true } });
  });

  it('ordinary numbers are not flagged', () => {
    expect(parseCpr('010180-1234')).toMatchObject({ ok: true, value: { isReplacement: false } });
  });
});

describe('accepted forms', () => {
  it('with and without the dash give the same result, whitespace around is trimmed', () => {
    const dashed = parseCpr('010180-1234');
    expect(parseCpr('0101801234')).toEqual(dashed);
    expect(parseCpr('  010180-1234\n')).toEqual(dashed);
    expect(dashed).toMatchObject({ ok: true, value: { digits: '0101801234', formatted: '010180-1234', masked: '010180-xxxx' } });
  });

  it('the last digit gives sexDigitOdd', () => {
    expect(parseCpr('010180-1234')).toMatchObject({ ok: true, value: { sexDigitOdd: false } });
    expect(parseCpr('010180-1235')).toMatchObject({ ok: true, value: { sexDigitOdd: true } });
  });

  it.each([
    ['too short', '12345'],
    ['too many digits after the dash', '010180-12345'],
    ['letters', 'abcdefghij'],
    ['a space as separator', '010180 1234'],
    ['a slash as separator', '010180/1234'],
    ['two dashes', '010180--1234'],
    ['dash in the wrong place', '01018-01234'],
    ['empty', ''],
    ['non-ASCII digits', '٠١٠١٨٠١٢٣٤'],
  ])('format errors: %s', (_rule, input) => {
    expect(problemOf(input)).toBe('format');
  });
});

describe('masking', () => {
  it('shows only the birth-date part from either form', () => {
    expect(maskCpr('010180-1234')).toBe('010180-xxxx');
    expect(maskCpr('0101801234')).toBe('010180-xxxx');
    expect(maskCpr(' 670761-4283 ')).toBe('670761-xxxx');
  });

  it('masks anything else completely rather than echoing it', () => {
    expect(maskCpr('010180 1234')).toBe('xxxxxx-xxxx');
    expect(maskCpr('garbage')).toBe('xxxxxx-xxxx');
  });
});

describe('search helpers', () => {
  it('looksLikeFullCpr matches exactly the two full forms', () => {
    expect(looksLikeFullCpr('010180-1234')).toBe(true);
    expect(looksLikeFullCpr(' 0101801234 ')).toBe(true);
    expect(looksLikeFullCpr('010180')).toBe(false);
    expect(looksLikeFullCpr('010180-')).toBe(false);
    expect(looksLikeFullCpr('010180 1234')).toBe(false);
    expect(looksLikeFullCpr('Jensen')).toBe(false);
  });

  it('birthDatePrefix turns DDMMYY or DDMMYY- into DDMMYY', () => {
    expect(birthDatePrefix('010180')).toBe('010180');
    expect(birthDatePrefix(' 010180- ')).toBe('010180');
    expect(birthDatePrefix('670761')).toBe('670761');
    expect(birthDatePrefix('290200')).toBe('290200');
  });

  it('birthDatePrefix gives null for full numbers, other text and impossible day/month', () => {
    expect(birthDatePrefix('010180-1234')).toBeNull();
    expect(birthDatePrefix('01018')).toBeNull();
    expect(birthDatePrefix('Jensen')).toBeNull();
    expect(birthDatePrefix('321280')).toBeNull();
    expect(birthDatePrefix('011380')).toBeNull();
    expect(birthDatePrefix('310480')).toBeNull();
  });
});

describe('ageOn counts whole years', () => {
  it('turns a year older on the birthday, not the day before', () => {
    expect(ageOn('1980-06-15', '2020-06-14')).toBe(39);
    expect(ageOn('1980-06-15', '2020-06-15')).toBe(40);
    expect(ageOn('1980-06-15', '2020-12-31')).toBe(40);
    expect(ageOn('1980-06-15', '1980-06-15')).toBe(0);
  });

  it('someone born 29 February turns older on 1 March in non-leap years', () => {
    expect(ageOn('2000-02-29', '2001-02-28')).toBe(0);
    expect(ageOn('2000-02-29', '2001-03-01')).toBe(1);
    expect(ageOn('2000-02-29', '2004-02-29')).toBe(4);
  });

  it('rejects malformed dates and a date before the birth', () => {
    expect(() => ageOn('1980-02-30', '2020-01-01')).toThrow(RangeError);
    expect(() => ageOn('15-06-1980', '2020-01-01')).toThrow(RangeError);
    expect(() => ageOn('1980-06-15', '1980-06-14')).toThrow(RangeError);
  });
});

describe('a birth date after today', () => {
  it('is refused as future, the day itself allowed', () => {
    expect(parseCpr('010130-4000', '2026-12-01')).toEqual({ ok: false, problem: 'future' });
    expect(parseCpr('011226-4000', '2026-11-30')).toEqual({ ok: false, problem: 'future' });
    expect(parseCpr('011226-4000', '2026-12-01').ok).toBe(true);
    expect(parseCpr('010130-4000').ok).toBe(true);
  });
});

describe('ageOrNull', () => {
  it('gives the age, or null for a birth date after the day or no real date', () => {
    expect(ageOrNull('1990-01-01', '2026-12-01')).toBe(36);
    expect(ageOrNull('2099-06-01', '2026-12-01')).toBeNull();
    expect(ageOrNull('1990-02-30', '2026-12-01')).toBeNull();
  });
});

describe('maskCprLike', () => {
  it('masks a CPR number whatever stands between its digits', () => {
    for (const typed of ['010190-1234', '010190 - 1234', '010190–1234', '010190—1234', '010190/1234', '01.01.90 1234', '0101901234', '01 01 90 12 34']) {
      expect(maskCprLike(`Jensen ${typed}.`), typed).toBe('Jensen 010190-xxxx.');
    }
    expect(maskCprLike('tel 12345, 5 kids')).toBe('tel 12345, 5 kids');
  });
});
