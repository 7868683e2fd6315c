/* fuzz-common.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the libFuzzer targets: GLib criticals and warnings abort (a failed
 * g_return_if_fail is a bug the fuzzer must report, not a line on stderr), and the checks of
 * an invariant abort with a message naming it.
 */
#pragma once

#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <stdint.h>

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

/* GLib ends a fatal message with a breakpoint (SIGTRAP), which libFuzzer does not catch: it
 * would die without saving the input. abort() is what libFuzzer reports. */
static void
kac_fuzz_trap_cb (int signal_number)
{
  abort ();
}

/* Translations are not loaded: messages stay in English, as the code writes them. */
static inline void
kac_fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  signal (SIGTRAP, kac_fuzz_trap_cb);
}

#define KAC_FUZZ_CHECK(condition)                                                  \
  G_STMT_START {                                                                   \
    if (G_UNLIKELY (!(condition)))                                                 \
      {                                                                            \
        fprintf (stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,      \
                 #condition);                                                      \
        abort ();                                                                  \
      }                                                                            \
  } G_STMT_END

#define KAC_FUZZ_CHECK_STR(a, b)                                                   \
  G_STMT_START {                                                                   \
    const char *kac_fuzz_a = (a), *kac_fuzz_b = (b);                               \
    if (G_UNLIKELY (g_strcmp0 (kac_fuzz_a, kac_fuzz_b) != 0))                      \
      {                                                                            \
        fprintf (stderr, "%s:%d: invariant failed: %s == %s\n  \"%s\"\n  \"%s\"\n", \
                 __FILE__, __LINE__, #a, #b,                                       \
                 kac_fuzz_a ? kac_fuzz_a : "(null)",                               \
                 kac_fuzz_b ? kac_fuzz_b : "(null)");                              \
        abort ();                                                                  \
      }                                                                            \
  } G_STMT_END

/* A NUL-terminated copy of the input, cut at its first NUL (C strings cannot hold more). */
static inline char *
kac_fuzz_strndup (const uint8_t *data,
                  size_t         size)
{
  return g_strndup ((const char *) data, size);
}
