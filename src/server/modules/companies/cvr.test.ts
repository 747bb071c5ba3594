// CVR numbers: 8 digits whose weighted sum (weights 2, 7, 6, 5, 4, 3, 2, 1) is divisible by 11.
import { describe, expect, it } from 'vitest';
import { Cvr, isValidCvr } from '../../../contracts/companies.ts';

describe('CVR check digit', () => {
  it.each(['10150817', '25313763', '24256790', '61126228', '30060946', '10000009'])('accepts %s', (cvr) => {
    expect(isValidCvr(cvr)).toBe(true);
  });

  it('rejects a number whose weighted sum is not divisible by 11', () => {
    // 1·2 + 0·7 + 1·6 + 5·5 + 0·4 + 8·3 + 1·2 + 8·1 = 69, 69 mod 11 = 3.
    expect(isValidCvr('10150818')).toBe(false);
    expect(isValidCvr('12345678')).toBe(false);
    expect(isValidCvr('87654321')).toBe(false);
  });

  it('rejects a changed digit and two swapped digits', () => {
    expect(isValidCvr('25313764')).toBe(false);
    expect(isValidCvr('52313763')).toBe(false);
  });

  it('rejects wrong lengths, letters and a leading zero', () => {
    for (const bad of ['', '1015081', '101508170', '1015081a', '1015 0817', '00000000', '01500817']) expect(isValidCvr(bad)).toBe(false);
  });

  it('the contract names the check digit in its message', () => {
    const result = Cvr.safeParse('10150818');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/check digit/);
    expect(Cvr.safeParse(' 10150817 ').data).toBe('10150817');
  });
});
