import { expect, test } from 'vitest';
import { maskUrl, urlHasPassword } from '../../src/config/mask-url.js';

test('maskUrl hides passwords and leaves the rest', () => {
  expect(maskUrl('postgresql://pbs:s3cr@t!@db.example:5432/pbs')).toBe(
    'postgresql://pbs:***@db.example:5432/pbs',
  );
  expect(maskUrl('postgresql://pbs@db/pbs')).toBe('postgresql://pbs@db/pbs');
  expect(maskUrl('postgresql://db/pbs?user=u&password=x&ssl=1')).toBe(
    'postgresql://db/pbs?user=u&password=***&ssl=1',
  );
  expect(maskUrl('sqlite:///~/.pbs_monitor.db')).toBe('sqlite:///~/.pbs_monitor.db');
  expect(maskUrl('postgresql://:onlypass@db/pbs')).toBe('postgresql://:***@db/pbs');
});

test('urlHasPassword', () => {
  expect(urlHasPassword('postgresql://pbs:x@db/pbs')).toBe(true);
  expect(urlHasPassword('postgresql://pbs@db/pbs')).toBe(false);
  expect(urlHasPassword('postgresql://db/pbs?password=x')).toBe(true);
  expect(urlHasPassword('sqlite:///tmp/x.db')).toBe(false);
});
