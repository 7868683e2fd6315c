/* kac-central-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kac-central-auth"

#include "config.h"

#include "kac-central-auth.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>

static gsize
get_opslimit (void)
{
  return kac_central_auth_is_low_cost () ? crypto_pwhash_OPSLIMIT_MIN
                                         : crypto_pwhash_OPSLIMIT_INTERACTIVE;
}

static gsize
get_memlimit (void)
{
  return kac_central_auth_is_low_cost () ? crypto_pwhash_MEMLIMIT_MIN
                                         : crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

gboolean
kac_central_auth_init (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The cryptography library (libsodium) could not start."));
      return FALSE;
    }

  return TRUE;
}

gboolean
kac_central_auth_is_low_cost (void)
{
  return g_strcmp0 (g_getenv ("KAC_CENTRAL_PWHASH_COST"), "min") == 0;
}

char *
kac_central_hash_password (const char  *password,
                           GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (password != NULL, NULL);

  if (crypto_pwhash_str (hash, password, strlen (password), get_opslimit (), get_memlimit ()) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Not enough memory to hash the password."));
      return NULL;
    }

  return g_strdup (hash);
}

gboolean
kac_central_verify_password (const char *hash,
                             const char *password)
{
  static char *dummy_hash = NULL;

  g_return_val_if_fail (password != NULL, FALSE);

  if (hash == NULL)
    {
      /* Spend the same time on an unknown user as on a known one. */
      if (g_once_init_enter (&dummy_hash))
        {
          char *made = kac_central_hash_password ("no such user", NULL);

          g_once_init_leave (&dummy_hash, made);
        }
      /* The outcome does not matter, only the time it takes. */
      if (dummy_hash != NULL && crypto_pwhash_str_verify (dummy_hash, password, strlen (password)) == 0)
        g_debug ("A password matched the dummy hash");
      return FALSE;
    }

  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

char *
kac_central_new_token (void)
{
  guint8 bytes[32];
  char text[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (text, sizeof text, bytes, sizeof bytes,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);

  return g_strdup (text);
}

void
kac_central_hash_token (const char *token,
                        guint8      hash[KAC_CENTRAL_TOKEN_HASH_SIZE])
{
  g_return_if_fail (token != NULL);

  G_STATIC_ASSERT (KAC_CENTRAL_TOKEN_HASH_SIZE == crypto_hash_sha256_BYTES);
  crypto_hash_sha256 (hash, (const guint8 *) token, strlen (token));
}

char *
kac_central_generate_password (void)
{
  /* No 0/O, 1/l/I: the password is read off a terminal and typed again. */
  static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  char *password = g_malloc (21);

  for (guint i = 0; i < 20; i++)
    password[i] = alphabet[randombytes_uniform (sizeof alphabet - 1)];
  password[20] = '\0';

  return password;
}
