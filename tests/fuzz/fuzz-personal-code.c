/* fuzz-personal-code.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The personal-code parser on arbitrary text (what a clerk types or pastes, or what a record
 * from the network carries). Beyond not crashing, every answer must be consistent:
 * - a valid code normalises to "DDMMYY-NNNNN", and that form (and the one without the hyphen)
 *   is valid again with the same form and format: normalising is idempotent;
 * - an invalid one has an error of the personal-code domain with a message;
 * - a mask never shows more than six digits, whatever was typed.
 */
#define G_LOG_DOMAIN "fuzz-personal-code"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "kac-personal-code.h"

static void
check_normalized_form (const char *normalized)
{
  KAC_FUZZ_CHECK (strlen (normalized) == 12);
  for (guint i = 0; i < 12; i++)
    KAC_FUZZ_CHECK (i == 6 ? normalized[i] == '-' : g_ascii_isdigit (normalized[i]));
}

static void
check_mask (const char *input)
{
  g_autofree char *masked = kac_personal_code_mask (input);
  guint digits = 0;

  if (input == NULL || *input == '\0')
    {
      KAC_FUZZ_CHECK_STR (masked, "");
      return;
    }

  KAC_FUZZ_CHECK (strlen (masked) == 12);
  KAC_FUZZ_CHECK (g_str_has_suffix (masked, "-*****"));
  for (const char *p = masked; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      digits++;
  KAC_FUZZ_CHECK (digits <= 6);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  kac_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = kac_fuzz_strndup (data, size);
  g_autofree char *normalized = NULL;
  g_autoptr(GError) error = NULL;
  KacPersonalCodeFormat format;

  check_mask (input);

  if (kac_personal_code_validate (input, &normalized, &format, &error))
    {
      g_autofree char *again = NULL;
      g_autofree char *without_hyphen = NULL;
      g_autofree char *from_plain = NULL;
      KacPersonalCodeFormat format_again;

      KAC_FUZZ_CHECK (error == NULL);
      check_normalized_form (normalized);

      KAC_FUZZ_CHECK (kac_personal_code_validate (normalized, &again, &format_again, NULL));
      KAC_FUZZ_CHECK_STR (again, normalized);
      KAC_FUZZ_CHECK (format_again == format);

      without_hyphen = g_strconcat ("", normalized, NULL);
      memmove (without_hyphen + 6, without_hyphen + 7, 6);
      KAC_FUZZ_CHECK (kac_personal_code_validate (without_hyphen, &from_plain, NULL, NULL));
      KAC_FUZZ_CHECK_STR (from_plain, normalized);

      /* The new format never has a date, the old one never starts with 32–39. */
      KAC_FUZZ_CHECK ((format == KAC_PERSONAL_CODE_FORMAT_NEW)
                      == (normalized[0] == '3' && normalized[1] >= '2'));
    }
  else
    {
      KAC_FUZZ_CHECK (normalized == NULL);
      KAC_FUZZ_CHECK (error != NULL);
      KAC_FUZZ_CHECK (error->domain == KAC_PERSONAL_CODE_ERROR);
      KAC_FUZZ_CHECK (error->message != NULL && *error->message != '\0');
      KAC_FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
    }

  return 0;
}
