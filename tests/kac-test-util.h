/* kac-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the core tests and the benchmarks share: temporary folders and a fixture made of one,
 * a valid sample application, record comparison, and percentiles of timing samples. Only
 * libkac is needed (the central server's helpers are in kac-test-central.h).
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "kac-record.h"

G_BEGIN_DECLS

/* Temporary folders */

/* A fresh private folder in $TMPDIR made from @tmpl ("name-XXXXXX"); aborts the test if it
 * cannot be made. */
char       *kac_test_make_tmp_dir             (const char     *tmpl);
/* A fresh private folder made from @tmpl under $G_TEST_BUILDDIR (else the current folder), for
 * benchmarks: /tmp may be a tmpfs, where fsync costs nothing and the figures would mean nothing. */
char       *kac_test_make_disk_dir            (const char     *tmpl);
/* Removes @path and everything below it, also folders a test made read-only; never follows
 * symbolic links. */
void        kac_test_remove_tree              (const char     *path);

/* A fixture for g_test_add(): a fresh folder per test, removed with everything in it after. */
typedef struct
{
  char *dir;
  char *path;  /* a database file in @dir (not created) */
} KacTestFixture;

/* Makes @fixture's folder; its path is the elements (NULL-terminated) below that folder. */
void        kac_test_fixture_init             (KacTestFixture *fixture,
                                               const char     *first_element,
                                               ...) G_GNUC_NULL_TERMINATED;
/* Set-up and tear-down for g_test_add(): the path is "registrations.db" in the folder. */
void        kac_test_fixture_set_up           (KacTestFixture *fixture,
                                               gconstpointer   data);
void        kac_test_fixture_tear_down        (KacTestFixture *fixture,
                                               gconstpointer   data);

/* SQLite, beside the store */

/* Runs @sql (one or more statements) on @db; aborts the test with SQLite's message if it fails. */
void        kac_test_exec_sql                 (sqlite3        *db,
                                               const char     *sql);
/* The same on a connection of its own to the file @path (made if missing). The store has one
 * writer per file: call this only while no store has @path open. */
void        kac_test_exec_sql_on_file         (const char     *path,
                                               const char     *sql);
/* The first column of the first row of @sql, on a read-only connection of its own to @path
 * (also while a store has it open); asserts that there is a row. */
gint64      kac_test_query_int                (const char     *path,
                                               const char     *sql);
char       *kac_test_query_text               (const char     *path,
                                               const char     *sql);

/* Records */

#define KAC_TEST_CLIENT_NAME  "Jānis Bērziņš"
#define KAC_TEST_CLIENT_CODE  "161175-19997"

/* VSAA-01, "Bērna kopšanas pabalsts" (childcare benefit), a service of the sample catalogue. */
KacService *kac_test_make_service             (void);
/* A valid application: VSAA-01, received in person from KAC_TEST_CLIENT_NAME with a valid
 * personal code, by @clerk of @centre; no notes and no rating. Each test changes what it is
 * about from here. */
KacRecord  *kac_test_make_application         (const char     *clerk,
                                               const char     *centre);

/* @unit (UTF-8, any length) @times over: text of an exact number of characters. */
char       *kac_test_repeat_utf8              (const char     *unit,
                                               guint           times);

/* Asserts that @a and @b agree on every field. */
void        kac_test_assert_records_equal     (KacRecord      *a,
                                               KacRecord      *b);
/* Asserts that @a and @b agree on what the wire format carries (not the service name, the
 * update time or what only the central system sets). */
void        kac_test_assert_wire_fields_equal (KacRecord      *a,
                                               KacRecord      *b);

/* Benchmark figures */

typedef struct
{
  guint  n;
  double total;
  double median;  /* the mean of the two middle samples when @n is even */
  double p50;     /* percentiles by nearest rank: the sample at round (p × (n − 1)) */
  double p95;
  double p99;
  double max;
} KacTestStats;

/* Sorts @samples (@n > 0, in any one unit) in place and summarises them in that unit. */
void        kac_test_stats_compute            (KacTestStats   *stats,
                                               double         *samples,
                                               guint           n);

G_END_DECLS
