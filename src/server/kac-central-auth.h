/* kac-central-auth.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Passwords and bearer tokens of kac-central, on libsodium.
 *
 * Passwords are hashed with Argon2id (crypto_pwhash_str) at libsodium's "interactive" limits.
 * Tests and demos may set the environment variable KAC_CENTRAL_PWHASH_COST=min to use the
 * library's minimum limits instead; never in production (the server says so at start-up).
 *
 * A bearer token is 32 random bytes, sent as unpadded base64url (43 characters). Only its
 * SHA-256 is stored, so a copy of the database does not let anyone sign in.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KAC_CENTRAL_TOKEN_HASH_SIZE 32

/* Initialises libsodium; FALSE when it cannot. Call once before the rest. */
gboolean  kac_central_auth_init            (GError       **error);
/* TRUE when KAC_CENTRAL_PWHASH_COST=min lowered the password hashing cost. */
gboolean  kac_central_auth_is_low_cost     (void);

char     *kac_central_hash_password        (const char    *password,
                                            GError       **error);
/* Constant-time as far as libsodium goes. A NULL @hash (no such user) still costs one hash
 * computation, so that a wrong user name and a wrong password take the same time. */
gboolean  kac_central_verify_password      (const char    *hash,
                                            const char    *password);

/* A new random token (unpadded base64url of 32 bytes). */
char     *kac_central_new_token            (void);
/* SHA-256 of @token's text into @hash. */
void      kac_central_hash_token           (const char    *token,
                                            guint8         hash[KAC_CENTRAL_TOKEN_HASH_SIZE]);
/* A new random password of 20 letters and digits, for init and user add. */
char     *kac_central_generate_password    (void);

G_END_DECLS
