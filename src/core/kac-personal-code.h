/* kac-personal-code.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Latvian personal codes (personas kods): the old format DDMMYY-CNNNK with a date and a check
 * digit, and the new format 3[2-9]NNNN-NNNNN (from 1 July 2017). See ../shared/DOMAIN.md.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KAC_PERSONAL_CODE_ERROR (kac_personal_code_error_quark ())

typedef enum
{
  KAC_PERSONAL_CODE_ERROR_EMPTY,          /* nothing was entered */
  KAC_PERSONAL_CODE_ERROR_CHARACTERS,     /* something other than digits and one hyphen */
  KAC_PERSONAL_CODE_ERROR_HYPHEN,         /* a hyphen, but not after the sixth digit */
  KAC_PERSONAL_CODE_ERROR_LENGTH,         /* not 11 digits */
  KAC_PERSONAL_CODE_ERROR_NEW_FORMAT,     /* starts with 3 but the second digit is not 2–9 */
  KAC_PERSONAL_CODE_ERROR_CENTURY,        /* old format: century digit not 0, 1 or 2 */
  KAC_PERSONAL_CODE_ERROR_DATE,           /* old format: no such date (31.02., month 13, …) */
  KAC_PERSONAL_CODE_ERROR_FUTURE_DATE,    /* old format: a birth date after today */
  KAC_PERSONAL_CODE_ERROR_CHECK_DIGIT,    /* old format: the check digit does not match */
} KacPersonalCodeError;

typedef enum
{
  KAC_PERSONAL_CODE_FORMAT_OLD,
  KAC_PERSONAL_CODE_FORMAT_NEW,
} KacPersonalCodeFormat;

GQuark   kac_personal_code_error_quark (void);

/* Checks @input (with or without the hyphen, surrounding spaces ignored). On success returns
 * TRUE and, when asked, the normalised form "DDMMYY-NNNNN" and the format. On failure the
 * GError carries a message fit to show the clerk, naming exactly what is wrong. */
gboolean kac_personal_code_validate    (const char            *input,
                                        char                 **normalized,
                                        KacPersonalCodeFormat *format,
                                        GError               **error);

/* "120394-12345" → "120394-*****": what lists may show. NULL or "" gives "". */
char    *kac_personal_code_mask        (const char            *code);

G_END_DECLS
