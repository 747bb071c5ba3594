// The throttle's unit: an IPv4 address, or an IPv6 /64.
import { describe, expect, it } from 'vitest';
import { throttleBlock } from './address.ts';

describe('throttleBlock', () => {
  it('keeps an IPv4 address, also one written as IPv4-mapped IPv6', () => {
    expect(throttleBlock('198.51.100.7')).toBe('198.51.100.7');
    expect(throttleBlock('::ffff:198.51.100.7')).toBe('198.51.100.7');
  });

  it('counts every address of one IPv6 /64 as one, and tells different /64s apart', () => {
    expect(throttleBlock('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(throttleBlock('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(throttleBlock('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(throttleBlock('2001:db8:1:3::1')).not.toBe(throttleBlock('2001:db8:1:2::1'));
    expect(throttleBlock('::1')).toBe('0:0:0:0::/64');
    expect(throttleBlock('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
