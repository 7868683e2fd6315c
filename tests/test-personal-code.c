/* test-personal-code.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Personal-code vectors: the public valid examples, both formats with and without the hyphen,
 * and every kind of error with its exact error code.
 */
#include "config.h"

#include <string.h>

#include "kac-personal-code.h"

/* Appends the right check digit to ten digits written as "DDMMYY-CNNN", so that a vector can
 * fail on its date alone. Computed independently of the code under test, from DOMAIN.md. */
static char *
with_check_digit (const char *ten)
{
  static const int weights[10] = { 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  int sum = 0;
  int n = 0;

  for (const char *p = ten; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      sum += weights[n++] * (*p - '0');
  g_assert_cmpint (n, ==, 10);

  return g_strdup_printf ("%s%d", ten, ((1101 - sum) % 11) % 10);
}

static void
assert_valid (const char            *input,
              const char            *expected_normalized,
              KacPersonalCodeFormat  expected_format)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  KacPersonalCodeFormat format = -1;
  gboolean ok;

  ok = kac_personal_code_validate (input, &normalized, &format, &error);
  if (!ok)
    g_test_message ("“%s” rejected: %s", input, error->message);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpstr (normalized, ==, expected_normalized);
  g_assert_cmpint (format, ==, expected_format);

  /* The out arguments are optional. */
  g_assert_true (kac_personal_code_validate (input, NULL, NULL, NULL));
}

static void
assert_invalid (const char           *input,
                KacPersonalCodeError  expected)
{
  g_autoptr(GError) error = NULL;
  char *normalized = NULL;
  gboolean ok;

  ok = kac_personal_code_validate (input, &normalized, NULL, &error);
  g_assert_false (ok);
  g_assert_null (normalized);
  g_assert_error (error, KAC_PERSONAL_CODE_ERROR, (int) expected);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 20);
  g_test_message ("%s", error->message);

  g_assert_false (kac_personal_code_validate (input, NULL, NULL, NULL));
}

static void
assert_message (const char *input,
                const char *expected_message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (kac_personal_code_validate (input, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, expected_message);
}

static void
test_valid_old (void)
{
  static const char *vectors[] = {
    "161175-19997", "180565-05610", "280638-19406", "290212-29381", "211244-14874",
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *bare = g_strdup (vectors[i]);

      /* With the hyphen, without it, and with spaces around. */
      assert_valid (vectors[i], vectors[i], KAC_PERSONAL_CODE_FORMAT_OLD);
      memmove (bare + 6, bare + 7, strlen (bare + 7) + 1);
      g_assert_cmpuint (strlen (bare), ==, 11);
      assert_valid (bare, vectors[i], KAC_PERSONAL_CODE_FORMAT_OLD);
      {
        g_autofree char *padded = g_strdup_printf ("  %s\t\n", vectors[i]);
        assert_valid (padded, vectors[i], KAC_PERSONAL_CODE_FORMAT_OLD);
      }
    }
}

static void
test_valid_dates (void)
{
  g_autofree char *day31 = with_check_digit ("310190-1234");
  g_autofree char *day30 = with_check_digit ("300490-1234");
  g_autofree char *leap2000 = with_check_digit ("290200-2345");
  g_autofree char *leap1896 = with_check_digit ("290296-0345");

  /* 30… and 31… are days of the old format, not (invalid) new-format codes. */
  assert_valid (day31, day31, KAC_PERSONAL_CODE_FORMAT_OLD);
  assert_valid (day30, day30, KAC_PERSONAL_CODE_FORMAT_OLD);
  /* 2000 is a leap year (divisible by 400); 1896 too; the century digit 0 is the 1800s. */
  assert_valid (leap2000, leap2000, KAC_PERSONAL_CODE_FORMAT_OLD);
  assert_valid (leap1896, leap1896, KAC_PERSONAL_CODE_FORMAT_OLD);
}

static void
test_valid_new (void)
{
  assert_valid ("321234-56789", "321234-56789", KAC_PERSONAL_CODE_FORMAT_NEW);
  assert_valid ("32123456789", "321234-56789", KAC_PERSONAL_CODE_FORMAT_NEW);
  assert_valid (" 390000-00000 ", "390000-00000", KAC_PERSONAL_CODE_FORMAT_NEW);
  /* Pasted with no-break spaces around it. */
  assert_valid ("\u00a0321234-56789\u202f", "321234-56789", KAC_PERSONAL_CODE_FORMAT_NEW);
  /* No date and no check digit: "month 99" and any last digit are fine. */
  assert_valid ("329999-99999", "329999-99999", KAC_PERSONAL_CODE_FORMAT_NEW);
  assert_valid ("35000000001", "350000-00001", KAC_PERSONAL_CODE_FORMAT_NEW);
}

static void
test_invalid_date (void)
{
  g_autofree char *feb29_1993 = with_check_digit ("290293-1234");
  g_autofree char *feb29_1900 = with_check_digit ("290200-1234");
  g_autofree char *feb31_1994 = with_check_digit ("310294-1234");
  g_autofree char *apr31 = with_check_digit ("310490-1234");
  g_autofree char *feb30 = with_check_digit ("300290-1234");
  g_autofree char *day00 = with_check_digit ("000190-1234");
  g_autofree char *month00 = with_check_digit ("150090-1234");

  assert_invalid ("161375-19997", KAC_PERSONAL_CODE_ERROR_DATE); /* month 13 */
  assert_invalid (feb29_1993, KAC_PERSONAL_CODE_ERROR_DATE);     /* not a leap year */
  assert_invalid (feb29_1900, KAC_PERSONAL_CODE_ERROR_DATE);     /* 1900 is not a leap year */
  assert_invalid (feb31_1994, KAC_PERSONAL_CODE_ERROR_DATE);
  assert_invalid (apr31, KAC_PERSONAL_CODE_ERROR_DATE);
  assert_invalid (feb30, KAC_PERSONAL_CODE_ERROR_DATE);
  assert_invalid (day00, KAC_PERSONAL_CODE_ERROR_DATE);
  assert_invalid (month00, KAC_PERSONAL_CODE_ERROR_DATE);

  assert_message (feb31_1994,
                  "There is no 31 February 1994 — check the first six digits (day, month, year).");
  assert_message ("161375-19997",
                  "There is no month 13 — check the first six digits (day, month, year).");
}

static void
test_invalid_future (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *ten = NULL;
  g_autofree char *code = NULL;
  g_autofree char *year_2099 = with_check_digit ("010199-2123");
  g_autofree char *today_ten = NULL;
  g_autofree char *today = NULL;
  int y, m, d;

  assert_invalid (year_2099, KAC_PERSONAL_CODE_ERROR_FUTURE_DATE);

  /* Tomorrow is the first day that is "after today"; today itself is allowed. */
  g_date_time_get_ymd (tomorrow, &y, &m, &d);
  g_assert_cmpint (y, <, 2100);
  ten = g_strdup_printf ("%02d%02d%02d-2123", d, m, y % 100);
  code = with_check_digit (ten);
  assert_invalid (code, KAC_PERSONAL_CODE_ERROR_FUTURE_DATE);

  g_date_time_get_ymd (now, &y, &m, &d);
  today_ten = g_strdup_printf ("%02d%02d%02d-2123", d, m, y % 100);
  today = with_check_digit (today_ten);
  /* Unless today is 30 or 31 of a month and the code were read as new format — it cannot:
   * 30/31 are always the old format. */
  assert_valid (today, today, KAC_PERSONAL_CODE_FORMAT_OLD);
}

static void
test_invalid_check_digit (void)
{
  assert_invalid ("161175-19998", KAC_PERSONAL_CODE_ERROR_CHECK_DIGIT);
  assert_invalid ("180565-05611", KAC_PERSONAL_CODE_ERROR_CHECK_DIGIT);
  /* A swapped pair of digits, the commonest typing error. */
  assert_invalid ("180565-06510", KAC_PERSONAL_CODE_ERROR_CHECK_DIGIT);
  assert_invalid ("280638-19046", KAC_PERSONAL_CODE_ERROR_CHECK_DIGIT);
  assert_message ("161175-19998",
                  "The check digit (the last one) does not match: check the code for a typing error.");
}

static void
test_invalid_century (void)
{
  /* Century digits 3–9 do not exist in the old format. */
  for (char c = '3'; c <= '9'; c++)
    {
      char code[] = "161175-19997";

      code[7] = c;
      assert_invalid (code, KAC_PERSONAL_CODE_ERROR_CENTURY);
    }
}

static void
test_invalid_new_format (void)
{
  /* 30… or 31… with a century digit the old format cannot have: neither format. */
  assert_invalid ("311234-56789", KAC_PERSONAL_CODE_ERROR_NEW_FORMAT);
  assert_invalid ("301234-96789", KAC_PERSONAL_CODE_ERROR_NEW_FORMAT);
  assert_invalid ("31123456789", KAC_PERSONAL_CODE_ERROR_NEW_FORMAT);
}

static void
test_invalid_characters (void)
{
  assert_invalid ("16117A-19997", KAC_PERSONAL_CODE_ERROR_CHARACTERS);
  assert_invalid ("abcdef-ghijk", KAC_PERSONAL_CODE_ERROR_CHARACTERS);
  assert_invalid ("161175 19997", KAC_PERSONAL_CODE_ERROR_CHARACTERS);
  assert_invalid ("161175–19997", KAC_PERSONAL_CODE_ERROR_CHARACTERS); /* an en dash */
  assert_invalid ("161175/19997", KAC_PERSONAL_CODE_ERROR_CHARACTERS);
  assert_invalid ("161175\u00a019997", KAC_PERSONAL_CODE_ERROR_CHARACTERS);
  assert_invalid ("\xff\xfe", KAC_PERSONAL_CODE_ERROR_CHARACTERS);
}

static void
test_invalid_hyphen (void)
{
  assert_invalid ("16117-519997", KAC_PERSONAL_CODE_ERROR_HYPHEN);
  assert_invalid ("1611751-9997", KAC_PERSONAL_CODE_ERROR_HYPHEN);
  assert_invalid ("-16117519997", KAC_PERSONAL_CODE_ERROR_HYPHEN);
  assert_invalid ("16117519997-", KAC_PERSONAL_CODE_ERROR_HYPHEN);
  assert_invalid ("161175--19997", KAC_PERSONAL_CODE_ERROR_HYPHEN);
  assert_invalid ("321234-567-89", KAC_PERSONAL_CODE_ERROR_HYPHEN);
}

static void
test_invalid_length (void)
{
  assert_invalid ("161175-1999", KAC_PERSONAL_CODE_ERROR_LENGTH);
  assert_invalid ("1611751999", KAC_PERSONAL_CODE_ERROR_LENGTH);
  assert_invalid ("161175-199970", KAC_PERSONAL_CODE_ERROR_LENGTH);
  assert_invalid ("161175199970", KAC_PERSONAL_CODE_ERROR_LENGTH);
  assert_invalid ("161175-", KAC_PERSONAL_CODE_ERROR_LENGTH);
  assert_invalid ("1", KAC_PERSONAL_CODE_ERROR_LENGTH);
  assert_invalid ("32123456789012", KAC_PERSONAL_CODE_ERROR_LENGTH);

  assert_message ("161175-1999", "The personal code must have 11 digits; 10 were entered.");
  assert_message ("161175-199970", "The personal code must have 11 digits; 12 were entered.");
  assert_message ("1", "The personal code must have 11 digits; 1 was entered.");
}

static void
test_invalid_empty (void)
{
  assert_invalid (NULL, KAC_PERSONAL_CODE_ERROR_EMPTY);
  assert_invalid ("", KAC_PERSONAL_CODE_ERROR_EMPTY);
  assert_invalid ("   ", KAC_PERSONAL_CODE_ERROR_EMPTY);
  assert_invalid (" \t\n ", KAC_PERSONAL_CODE_ERROR_EMPTY);
  assert_invalid ("\u00a0", KAC_PERSONAL_CODE_ERROR_EMPTY);
}

static void
test_messages_distinct (void)
{
  /* One precise message per kind of error: no two kinds may share a text. */
  g_autofree char *feb29 = with_check_digit ("290293-1234");
  g_autofree char *future = with_check_digit ("010199-2123");
  const char *inputs[] = {
    "", "16117A-19997", "16117-519997", "161175-1999", "311234-56789", "161175-39997",
    feb29, future, "161175-19998",
  };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (kac_personal_code_validate (inputs[i], NULL, NULL, &error));
      g_assert_cmpint (error->code, ==, (int) i);
      g_assert_false (g_hash_table_contains (seen, error->message));
      g_hash_table_add (seen, g_strdup (error->message));
    }
}

static void
test_mask (void)
{
  char *masked;

  masked = kac_personal_code_mask ("120394-12345");
  g_assert_cmpstr (masked, ==, "120394-*****");
  g_free (masked);

  masked = kac_personal_code_mask ("12039412345");
  g_assert_cmpstr (masked, ==, "120394-*****");
  g_free (masked);

  masked = kac_personal_code_mask ("  321234-56789 ");
  g_assert_cmpstr (masked, ==, "321234-*****");
  g_free (masked);

  /* Something malformed never shows more than six digits. */
  masked = kac_personal_code_mask ("1203");
  g_assert_cmpstr (masked, ==, "1203**-*****");
  g_free (masked);

  masked = kac_personal_code_mask ("12-0394-12345678");
  g_assert_cmpstr (masked, ==, "120394-*****");
  g_free (masked);

  masked = kac_personal_code_mask ("");
  g_assert_cmpstr (masked, ==, "");
  g_free (masked);

  masked = kac_personal_code_mask (NULL);
  g_assert_cmpstr (masked, ==, "");
  g_free (masked);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/personal-code/valid/old", test_valid_old);
  g_test_add_func ("/personal-code/valid/dates", test_valid_dates);
  g_test_add_func ("/personal-code/valid/new", test_valid_new);
  g_test_add_func ("/personal-code/invalid/date", test_invalid_date);
  g_test_add_func ("/personal-code/invalid/future", test_invalid_future);
  g_test_add_func ("/personal-code/invalid/check-digit", test_invalid_check_digit);
  g_test_add_func ("/personal-code/invalid/century", test_invalid_century);
  g_test_add_func ("/personal-code/invalid/new-format", test_invalid_new_format);
  g_test_add_func ("/personal-code/invalid/characters", test_invalid_characters);
  g_test_add_func ("/personal-code/invalid/hyphen", test_invalid_hyphen);
  g_test_add_func ("/personal-code/invalid/length", test_invalid_length);
  g_test_add_func ("/personal-code/invalid/empty", test_invalid_empty);
  g_test_add_func ("/personal-code/messages-distinct", test_messages_distinct);
  g_test_add_func ("/personal-code/mask", test_mask);

  return g_test_run ();
}
