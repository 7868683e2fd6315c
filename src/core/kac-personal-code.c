/* kac-personal-code.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Validation of Latvian personal codes. The rules are in ../shared/DOMAIN.md ("Personal data").
 * Every error says exactly what is wrong and what the clerk should look at, because the clerk
 * has the client (and the client's document) in front of them and can fix it at once.
 *
 * The code itself is personal data: it is never logged, and it never goes into an error
 * message (only the parts the clerk needs to see, such as the date they typed).
 */
#define G_LOG_DOMAIN "kac-personal-code"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kac-personal-code.h"

#define N_DIGITS 11
#define HYPHEN_POSITION 6

G_DEFINE_QUARK (kac-personal-code-error-quark, kac_personal_code_error)

/* Helpers */

/* Translatable month names as they follow a day number ("31 February"); the translator can
 * put them in the genitive (Latvian "31. februāris" → "februāra" in context). */
static const char *
month_name (guint month)
{
  switch (month)
    {
    case 1: return C_("month after a day number", "January");
    case 2: return C_("month after a day number", "February");
    case 3: return C_("month after a day number", "March");
    case 4: return C_("month after a day number", "April");
    case 5: return C_("month after a day number", "May");
    case 6: return C_("month after a day number", "June");
    case 7: return C_("month after a day number", "July");
    case 8: return C_("month after a day number", "August");
    case 9: return C_("month after a day number", "September");
    case 10: return C_("month after a day number", "October");
    case 11: return C_("month after a day number", "November");
    case 12: return C_("month after a day number", "December");
    default: g_assert_not_reached ();
    }
}

static guint
days_in_month (guint month,
               guint year)
{
  return g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year);
}

/* Strips white space at both ends, Unicode included: a code pasted from a web page or a
 * document often brings a no-break space along. */
static char *
strip_spaces (const char *input)
{
  const char *start = input;
  const char *end = input + strlen (input);

  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char_validated (start, end - start)))
    start = g_utf8_next_char (start);

  while (end > start)
    {
      const char *last = g_utf8_find_prev_char (start, end);

      if (last == NULL || !g_unichar_isspace (g_utf8_get_char_validated (last, end - last)))
        break;
      end = last;
    }

  return g_strndup (start, end - start);
}

/* K = (1101 − S) mod 11 mod 10, S = Σ weight × digit over the first ten digits. */
static guint
compute_check_digit (const guint digits[N_DIGITS])
{
  static const guint weights[N_DIGITS - 1] = { 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  guint sum = 0;

  for (guint i = 0; i < N_DIGITS - 1; i++)
    sum += weights[i] * digits[i];

  return ((1101 - sum) % 11) % 10;
}

static gboolean
validate_old_format (const guint   digits[N_DIGITS],
                     GError      **error)
{
  guint day = digits[0] * 10 + digits[1];
  guint month = digits[2] * 10 + digits[3];
  guint yy = digits[4] * 10 + digits[5];
  guint century = digits[6];
  guint year;
  g_autoptr(GDateTime) now = NULL;
  int today_y, today_m, today_d;

  if (century > 2)
    {
      g_set_error (error, KAC_PERSONAL_CODE_ERROR, KAC_PERSONAL_CODE_ERROR_CENTURY,
                   _("The seventh digit (the century of birth) must be 0, 1 or 2, not %u: "
                     "check the code for a typing error."),
                   century);
      return FALSE;
    }

  year = 1800 + 100 * century + yy;

  if (month < 1 || month > 12)
    {
      g_set_error (error, KAC_PERSONAL_CODE_ERROR, KAC_PERSONAL_CODE_ERROR_DATE,
                   _("There is no month %02u — check the first six digits (day, month, year)."),
                   month);
      return FALSE;
    }

  if (day < 1)
    {
      g_set_error_literal (error, KAC_PERSONAL_CODE_ERROR, KAC_PERSONAL_CODE_ERROR_DATE,
                           _("There is no day 00 — check the first six digits (day, month, year)."));
      return FALSE;
    }

  if (day > days_in_month (month, year))
    {
      g_set_error (error, KAC_PERSONAL_CODE_ERROR, KAC_PERSONAL_CODE_ERROR_DATE,
                   /* TRANSLATORS: "There is no 31 February 1994 — …"; %1$u is the day, %2$s
                    * the month name, %3$u the year. */
                   _("There is no %1$u %2$s %3$u — check the first six digits (day, month, year)."),
                   day, month_name (month), year);
      return FALSE;
    }

  now = g_date_time_new_now_local ();
  g_date_time_get_ymd (now, &today_y, &today_m, &today_d);
  if (year > (guint) today_y
      || (year == (guint) today_y
          && (month > (guint) today_m || (month == (guint) today_m && day > (guint) today_d))))
    {
      g_set_error (error, KAC_PERSONAL_CODE_ERROR, KAC_PERSONAL_CODE_ERROR_FUTURE_DATE,
                   /* TRANSLATORS: %1$u is the day, %2$s the month name, %3$u the year. */
                   _("The birth date %1$u %2$s %3$u is in the future — check the first six digits "
                     "and the seventh (the century)."),
                   day, month_name (month), year);
      return FALSE;
    }

  if (compute_check_digit (digits) != digits[N_DIGITS - 1])
    {
      g_set_error_literal (error, KAC_PERSONAL_CODE_ERROR, KAC_PERSONAL_CODE_ERROR_CHECK_DIGIT,
                           _("The check digit (the last one) does not match: check the code for "
                             "a typing error."));
      return FALSE;
    }

  return TRUE;
}

/* Public API */

gboolean
kac_personal_code_validate (const char             *input,
                            char                  **normalized,
                            KacPersonalCodeFormat  *format,
                            GError                **error)
{
  g_autofree char *stripped = NULL;
  guint digits[N_DIGITS];
  guint n_digits = 0;
  int hyphen_at = -1;
  KacPersonalCodeFormat found_format;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stripped = strip_spaces (input != NULL ? input : "");

  if (*stripped == '\0')
    {
      g_set_error_literal (error, KAC_PERSONAL_CODE_ERROR, KAC_PERSONAL_CODE_ERROR_EMPTY,
                           _("Enter the personal code: 11 digits, the hyphen after the sixth is "
                             "optional."));
      return FALSE;
    }

  /* First pass: only digits and at most one hyphen. Characters are judged before the length
   * because "12O394-12345" (a letter O) is best told as a wrong character, not a short code. */
  for (const char *p = stripped; *p != '\0'; p++)
    {
      if (*p >= '0' && *p <= '9')
        {
          if (n_digits < N_DIGITS)
            digits[n_digits] = (guint) (*p - '0');
          n_digits++;
        }
      else if (*p == '-')
        {
          if (hyphen_at >= 0 || n_digits != HYPHEN_POSITION)
            {
              g_set_error_literal (error, KAC_PERSONAL_CODE_ERROR, KAC_PERSONAL_CODE_ERROR_HYPHEN,
                                   _("The hyphen may only stand after the sixth digit "
                                     "(e.g. 120394-12345), or be left out."));
              return FALSE;
            }
          hyphen_at = (int) n_digits;
        }
      else if (g_ascii_isspace (*p))
        {
          g_set_error_literal (error, KAC_PERSONAL_CODE_ERROR, KAC_PERSONAL_CODE_ERROR_CHARACTERS,
                               _("The personal code may not contain spaces: enter its 11 digits, "
                                 "optionally with a hyphen after the sixth."));
          return FALSE;
        }
      else
        {
          g_set_error_literal (error, KAC_PERSONAL_CODE_ERROR, KAC_PERSONAL_CODE_ERROR_CHARACTERS,
                               _("The personal code may contain only digits and one hyphen after "
                                 "the sixth digit: check for letters or other signs."));
          return FALSE;
        }
    }

  if (n_digits != N_DIGITS)
    {
      g_set_error (error, KAC_PERSONAL_CODE_ERROR, KAC_PERSONAL_CODE_ERROR_LENGTH,
                   ngettext ("The personal code must have 11 digits; %u was entered.",
                             "The personal code must have 11 digits; %u were entered.",
                             n_digits),
                   n_digits);
      return FALSE;
    }

  /* A code that starts with 3 and a second digit 2–9 is of the new format (from 1 July 2017):
   * it carries no date and no check digit. 30… and 31… are days of the old format. */
  if (digits[0] == 3 && digits[1] >= 2)
    {
      found_format = KAC_PERSONAL_CODE_FORMAT_NEW;
    }
  else
    {
      /* 30… and 31… with a century digit the old format cannot have is most likely a new-format
       * code with a wrong second digit: say both rules, the clerk will see which one applies. */
      if (digits[0] == 3 && digits[6] > 2)
        {
          g_set_error_literal (error, KAC_PERSONAL_CODE_ERROR, KAC_PERSONAL_CODE_ERROR_NEW_FORMAT,
                               _("A new personal code starts with 32 to 39, and an old one "
                                 "(30… or 31…) has 0, 1 or 2 as its seventh digit: this code is "
                                 "neither. Check the first two digits and the seventh."));
          return FALSE;
        }

      if (!validate_old_format (digits, error))
        return FALSE;

      found_format = KAC_PERSONAL_CODE_FORMAT_OLD;
    }

  if (normalized != NULL)
    {
      char buffer[N_DIGITS + 2];

      for (guint i = 0, j = 0; i < N_DIGITS; i++)
        {
          if (i == HYPHEN_POSITION)
            buffer[j++] = '-';
          buffer[j++] = (char) ('0' + digits[i]);
        }
      buffer[N_DIGITS + 1] = '\0';
      *normalized = g_strdup (buffer);
    }

  if (format != NULL)
    *format = found_format;

  return TRUE;
}

char *
kac_personal_code_mask (const char *code)
{
  GString *masked;
  guint kept = 0;

  if (code == NULL || *code == '\0')
    return g_strdup ("");

  /* Keep at most the first six digits (the birth date of an old code); everything after them
   * is hidden, whatever was typed, so that a malformed code cannot leak through a list. */
  masked = g_string_sized_new (N_DIGITS + 1);
  for (const char *p = code; *p != '\0' && kept < HYPHEN_POSITION; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          g_string_append_c (masked, *p);
          kept++;
        }
    }

  while (kept++ < HYPHEN_POSITION)
    g_string_append_c (masked, '*');
  g_string_append (masked, "-*****");

  return g_string_free (masked, FALSE);
}
