import { describe, expect, it } from 'vitest';
import { userReason, copenhagenTimestamp, danishDate, danishDateShort, danishDateTime, daysLeftText, kroner, percent, plural, readable } from '../../api/views/format';

describe('what users read, in Danish', () => {
  it('dates in sentences without ISO, deadlines with their weekday', () => {
    expect(danishDateShort('2027-04-30')).toBe('30. april 2027');
    expect(danishDate('2027-03-01')).toBe('mandag 1. marts 2027');
  });

  it('times in Danish time, winter and summer', () => {
    expect(danishDateTime('2026-12-03T17:17:05Z')).toBe('3. december 2026 kl. 18.17');
    expect(danishDateTime('2027-06-30T22:30:00Z')).toBe('1. juli 2027 kl. 00.30');
    expect(copenhagenTimestamp('2027-06-30T22:30:09.123Z')).toBe('2027-07-01 00:30:09');
  });

  it('amounts with thousands separators and øre only when there are any', () => {
    expect(kroner('18000000')).toBe('18.000.000 kr.');
    expect(kroner(18_000_000)).toBe('18.000.000 kr.');
    expect(kroner('1234.5')).toBe('1.234,50 kr.');
    expect(kroner('-2000000.00')).toBe('-2.000.000 kr.');
    expect(kroner('999')).toBe('999 kr.');
  });

  it('shares as percentages', () => {
    expect(percent(0.25)).toBe('25 %');
    expect(percent('0.33333')).toBe('33,3 %');
    expect(percent(0.165)).toBe('16,5 %');
  });

  it('singular and plural', () => {
    expect(plural(1, 'e-mail', 'e-mails')).toBe('1 e-mail');
    expect(plural(37, 'e-mail', 'e-mails')).toBe('37 e-mails');
    expect(plural(1200, 'sag', 'sager')).toBe('1.200 sager');
    expect(daysLeftText(-1)).toBe('1 dag over fristen');
    expect(daysLeftText(12)).toBe('om 12 dage');
  });

  it('texts from the procedures lose their source references and ISO dates', () => {
    expect(readable('Betalingen løber til og med 31. marts 2027 (A-22).')).toBe('Betalingen løber til og med 31. marts 2027.');
    expect(readable('Varslet udløber, jf. bilag 5 (002:1558-1575), den dag')).toBe('Varslet udløber, jf. bilag 5, den dag');
    expect(readable('Dataindsamling: sendt til 1 parter med frist 2026-12-28')).toBe('Dataindsamling: sendt til 1 part med frist 28. december 2026');
    expect(readable('Sag CU-2026-3B56CC36C9 oprettet')).toBe('Sag CU-2026-3B56CC36C9 oprettet');
    expect(readable('Intet møde før fristen 2027-03-01: behandles ikke')).toBe('Intet møde før fristen 1. marts 2027: behandles ikke');
    expect(readable('sendt 2026-12-03T17:17:05Z')).toBe('sendt 2026-12-03T17:17:05Z');
    expect(readable('Orientering sendt til 12 parter (12 e-mails)')).toBe('Orientering sendt til 12 parter (12 e-mails)');
  });

  it('validation messages next to a label do not repeat the field name the API uses', () => {
    expect(userReason('Feltet "title" (udmeldingens titel) skal være mindst 5 tegn')).toBe('skal være mindst 5 tegn');
    expect(userReason('Feltet "collectionPartyIds" (parter i dataindsamlingen): vælg mindst én part')).toBe('vælg mindst én part');
    expect(userReason('Betalingskommunens omsætning skal være et beløb')).toBe('Betalingskommunens omsætning skal være et beløb');
  });
});
