import { describe, expect, it } from 'vitest';
import { cprNumbersIn, fieldsWithCpr } from '../../domain/personalData';

describe('CPR-like numbers in free text', () => {
  it('finds them with and without the hyphen when the first six digits are a date', () => {
    expect(cprNumbersIn('Borger 010190-1234 har fået plads')).toEqual(['010190-1234']);
    expect(cprNumbersIn('cpr 2902001234, se sagen')).toEqual(['2902001234']);
  });

  it('leaves dates, amounts, phone numbers, case numbers and UUIDs alone', () => {
    for (const text of ['2023-09-10', 'senest 10.09.2023', '20.000.000 kr.', 'tlf. 65 51 12 34', 'tlf. 65511234', 'KAP-LUK-1795412247797', '00000000-0000-4000-8000-000000000001', '3200001234 (ingen dato)', 'konto 1234-5678901234']) {
      expect(cprNumbersIn(text), text).toEqual([]);
    }
  });

  it('names the fields of a JSON input that hold one, but not a field that is only an amount', () => {
    expect(fieldsWithCpr({ title: 'Plads til borger', message: 'Vedr. 311299-4321', payers: [{ turnover: '1201234567' }], nested: { list: ['ok', 'x 010203-1234 y'] } })).toEqual(['message', 'nested.list.1']);
  });

  it('finds them however they are written: spaces, dash variants, prefixes and full-width digits', () => {
    for (const text of ['Borger 010190 1234 har behov', 'CPR-010190-1234', 'cpr.nr.-0101901234', '010190\u20101234', '010190\u20131234', '010190 \u2013 1234', '\uFF10\uFF11\uFF10\uFF11\uFF19\uFF10\uFF11\uFF12\uFF13\uFF14', '010190\u00A01234', '010190\u2212 1234']) {
      expect(cprNumbersIn(text), JSON.stringify(text)).toHaveLength(1);
    }
    expect(fieldsWithCpr({ name: 'CPR-010190-1234' })).toEqual(['name']);
  });

  it('still leaves amounts, dates and phone numbers written with spaces and dashes alone', () => {
    for (const text of ['18.000.000 kr.', '18 000 000 kr.', 'tlf. 65 51 12 34', '+45 6551 1234', 'uge 10-12 2024', 'fra 2024-01-01 til 2024-12-31', 'konto 1234 5678901234', '010190', 'sag 2024-010190-1234']) {
      expect(cprNumbersIn(text), text).toEqual([]);
    }
  });
});
