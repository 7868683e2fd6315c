/* kac-wire.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The JSON wire format between KAC Desk and kac-central (API /api/v1). Both ends use these
 * functions, so the format is written down once. All documents are UTF-8 JSON objects.
 *
 * Decoding rules, the same for every document:
 * - Nothing from the network is trusted. Wrong types, missing required members, invalid
 *   values, strings over their byte limit, nesting deeper than KAC_WIRE_MAX_DEPTH and
 *   documents over their size limit give a KAC_WIRE_ERROR, never a crash or a guess.
 * - Unknown members are ignored, so that either end can add optional members without
 *   breaking the other (forward compatibility). They never take part in a record's hash.
 * - An optional member may be absent or null; both mean "not given".
 * - Error messages name the member ("records[3].channel") and are meant for logs and for the
 *   problem+json `detail` of a 400 answer, not for the clerk's form.
 *
 * Record (one registration; POST /api/v1/records carries {"records": [record, …]}):
 *   {"uuid": "…",                          required, RFC 4122 text form
 *    "kind": "application",                required, kac_record_kind_to_string() names
 *    "service_code": "VSAA-01" | null,
 *    "institution_code": "VSAA" | null,
 *    "channel": "in-person",               required, kac_channel_to_string() names
 *    "client": {"name": "…" | null, "personal_code": "…" | null} | null,
 *    "notes": "…" | null,
 *    "satisfaction": 1…5 | null,           null (or 0) = not asked; other integers are
 *                                          decoded and left to kac_record_validate()
 *    "created_at": "2026-03-02T09:15:00.123456Z",  required, ISO 8601 with a zone; sent in
 *                                          UTC with microseconds
 *    "clerk": "…" | null,
 *    "centre_id": "…"}                     required
 *   The service name snapshot, the queue state, its detail, the central number and updated-at
 *   are the terminal's own and are not sent. kac_wire_encode_record() writes members in this
 *   order, compactly: that text is the record's canonical body, and kac_wire_record_hash() is
 *   the SHA-256 of it. The server hashes a decoded record re-encoded, so two bodies with the
 *   same meaning (other member order, spacing, unknown members, another time zone) are the
 *   same record.
 *
 * Batch answer (200 to POST /api/v1/records, sent only after the server's COMMIT):
 *   {"results": [{"uuid": "…", "status": "accepted"|"duplicate"|"conflict"|"rejected",
 *                 "central_number": "KAC-2026-000123" | null, "replay": false,
 *                 "code": "…" | null, "title": "…" | null, "field": "…" | null}, …]}
 *   One result per request item, in request order. Status meanings:
 *   - accepted:  the server holds this record under central_number. With replay = true the
 *                record had been stored by an earlier request with the same body: this is the
 *                first answer again, same number (the client's resend after a lost answer).
 *   - duplicate: the same UUID appears more than once in this one request with the same
 *                body; the later items get this status and the first item's number.
 *   - conflict:  the UUID is already stored with another body (or repeated in the request
 *                with another body). Nothing was changed; code "uuid-conflict".
 *   - rejected:  not stored; code, title (a sentence for the clerk) and field (the record's
 *                wire member at fault, e.g. "client.personal_code") say why. Nothing is
 *                remembered, so the corrected record can be sent again with the same UUID.
 *   The client treats accepted and duplicate as done, conflict and rejected as needing the
 *   clerk (never retried blindly).
 *
 * Problem (every error answer, Content-Type application/problem+json, RFC 9457):
 *   {"type": "urn:kac:problem:<code>", "title": "…", "status": 400, "detail": "…",
 *    "code": "<code>", "retryable": false, "errors": [{"field": "…", "message": "…"}]}
 *   The client decides by status first, then by code; retryable says whether sending the same
 *   request again later can succeed. title and detail are fit to show a clerk.
 *
 * Status changes (200 to GET /api/v1/records/changes?since=CURSOR):
 *   {"changes": [{"uuid": "…", "central_number": "…", "status": "registered"|"forwarded"|
 *                 "completed", "changed_at": "…Z", "due_date": "2026-03-11" | null}, …],
 *    "cursor": "<opaque>", "more": false}
 *   The latest state of each record of the caller's centre changed after the cursor, oldest
 *   change first. "Overdue" is not a stored status: a record not completed after its due date
 *   is overdue, which the client works out from status and due_date.
 *
 * Session: POST /api/v1/session {"username": "…", "password": "…"} answers
 *   {"token": "…", "expires_at": "…Z", "user": {"username": "…", "display_name": "…" | null},
 *    "role": "clerk"|"manager"|"institution"|"admin",
 *    "centre": {"id": "…", "name": "…", "kind": "county"|…} | null,
 *    "institution": "VSAA" | null}
 *
 * Status change (POST /api/v1/records/{uuid}/status, institution users):
 *   {"status": "forwarded", "due_date": "2026-03-20" | null, "note": "…" | null}
 *
 * Catalogue (GET /api/v1/catalog): the format of data/catalog/sample-catalog.json, read by
 *   kac_catalog_new_from_bytes(); kac_wire_decode_catalog() adds the size limit.
 *
 * Statistics (200 to GET /api/v1/stats?centre=ID&from=YYYY-MM-DD&to=YYYY-MM-DD, managers of
 *   the centre and admins; MK 399 §21, MK 402 §7):
 *   {"centre": {"id": "…", "name": "…"}, "from": "2026-03-01", "to": "2026-03-31",
 *    "as_of": "2026-04-02",                  the day in Latvia the delays were judged on
 *    "totals": FIGURES,
 *    "institutions": [{"institution_code": "VSAA" | null, "figures": FIGURES}, …],
 *    "services": [{"service_code": "VSAA-01" | null, "institution_code": "VSAA" | null,
 *                  "figures": FIGURES}, …],
 *    "days": [{"date": "2026-03-01", "figures": FIGURES}, …]}   every day of the range, in order
 *   FIGURES = {"cases": 12,
 *              "by_kind": {"application": 5, "information": 4, …},   every kind, 0 included
 *              "by_channel": {"in-person": 8, "phone": 2, …},         every channel
 *              "delayed": 1, "complaints": 2,
 *              "satisfaction": {"answers": 3, "average": 4.33 | null, "distribution": [0,0,1,0,2]},
 *              "electronic_share": 0.1667 | null}
 *   A case counts on the day (Europe/Riga) its registration was made at the terminal. Delayed:
 *   an application with a due date that was completed after that day, or is not completed and
 *   the day has passed by as_of. distribution[i] counts the answers i + 1; the average (two
 *   decimals) and the electronic share (four decimals; null without cases) are derived and
 *   checked by the decoder, like every sum: by_kind and by_channel add up to cases, complaints
 *   equal by_kind.complaint, delayed is at most by_kind.application, answers add up the
 *   distribution and are at most cases. Groups with no case are not listed, days always are.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kac-catalog.h"
#include "kac-record.h"

G_BEGIN_DECLS

/* Limits every decoder enforces. The server answers 413 above the body and batch limits. */
#define KAC_WIRE_BATCH_MAX_RECORDS   500
#define KAC_WIRE_BODY_MAX_BYTES      (4 * 1024 * 1024)
#define KAC_WIRE_CATALOG_MAX_BYTES   (8 * 1024 * 1024)
#define KAC_WIRE_MAX_DEPTH           16
/* Byte limits of single strings: generous enough that a too-long name or note still decodes
 * and gets kac_record_validate()'s message for the clerk, small enough to bound memory. */
#define KAC_WIRE_SHORT_MAX_BYTES     256     /* uuid, codes, ids, clerk, status names */
#define KAC_WIRE_NAME_MAX_BYTES      4096    /* client name, display names, titles */
#define KAC_WIRE_TEXT_MAX_BYTES      65536   /* notes, details, messages */

#define KAC_WIRE_ERROR (kac_wire_error_quark ())

typedef enum
{
  KAC_WIRE_ERROR_SYNTAX,     /* not JSON, or not the expected top-level shape */
  KAC_WIRE_ERROR_TYPE,       /* a member has the wrong JSON type */
  KAC_WIRE_ERROR_MISSING,    /* a required member is absent or null */
  KAC_WIRE_ERROR_VALUE,      /* right type, impossible value (unknown kind, bad date, …) */
  KAC_WIRE_ERROR_TOO_LARGE,  /* document, string, nesting or item count over its limit */
} KacWireError;

GQuark kac_wire_error_quark (void);

/* Application status on the central system. */
typedef enum
{
  KAC_APPLICATION_STATUS_REGISTERED,
  KAC_APPLICATION_STATUS_FORWARDED,
  KAC_APPLICATION_STATUS_COMPLETED,
} KacApplicationStatus;

const char *kac_application_status_to_string   (KacApplicationStatus  status);
gboolean    kac_application_status_from_string (const char           *string,
                                                KacApplicationStatus *status);
const char *kac_application_status_get_label   (KacApplicationStatus  status);

/* Records */

char       *kac_wire_encode_record          (KacRecord   *record);
JsonNode   *kac_wire_record_to_node         (KacRecord   *record);
/* @field (optional) receives the wire member at fault, e.g. "client.personal_code". */
KacRecord  *kac_wire_record_from_node       (JsonNode    *node,
                                             char       **field,
                                             GError     **error);
KacRecord  *kac_wire_decode_record          (const char  *data,
                                             gsize        length,
                                             GError     **error);
/* SHA-256 (lower-case hex) of kac_wire_encode_record (@record). */
char       *kac_wire_record_hash            (KacRecord   *record);

/* Batch request */

/* {"records": [ … ]} from already encoded record bodies (strings from kac_wire_encode_record),
 * so that a queue that serialised each body once sends exactly those bytes every time. */
GBytes     *kac_wire_encode_batch_request   (const char * const *bodies,
                                             guint               n_bodies);

typedef struct
{
  char      *uuid;     /* always set and valid */
  KacRecord *record;   /* NULL when the item could not be read */
  char      *field;    /* record == NULL: the member at fault (may be NULL) */
  GError    *error;    /* record == NULL: why */
} KacWireBatchItem;

void        kac_wire_batch_item_free        (KacWireBatchItem *item);

/* A GPtrArray of KacWireBatchItem, in request order. Fails as a whole (the request is broken)
 * when the document is not an object with a "records" array, holds more than
 * KAC_WIRE_BATCH_MAX_RECORDS items (KAC_WIRE_ERROR_TOO_LARGE), or an item is not an object
 * with a valid "uuid" (an answer could not name it). Other faults of one item make only that
 * item unreadable. */
GPtrArray  *kac_wire_decode_batch_request   (const char  *data,
                                             gsize        length,
                                             GError     **error);

/* Batch answer */

typedef enum
{
  KAC_WIRE_ITEM_ACCEPTED,
  KAC_WIRE_ITEM_DUPLICATE,
  KAC_WIRE_ITEM_CONFLICT,
  KAC_WIRE_ITEM_REJECTED,
} KacWireItemStatus;

const char *kac_wire_item_status_to_string   (KacWireItemStatus  status);
gboolean    kac_wire_item_status_from_string (const char        *string,
                                              KacWireItemStatus *status);

typedef struct
{
  char              *uuid;
  KacWireItemStatus  status;
  char              *central_number;  /* accepted and duplicate: always set */
  gboolean           replay;
  char              *code;            /* conflict and rejected: always set */
  char              *title;
  char              *field;
} KacWireItemResult;

KacWireItemResult *kac_wire_item_result_new  (const char        *uuid,
                                              KacWireItemStatus  status);
KacWireItemResult *kac_wire_item_result_copy (const KacWireItemResult *result);
void        kac_wire_item_result_free       (KacWireItemResult *result);
GBytes     *kac_wire_encode_batch_response  (GPtrArray   *results);
/* A GPtrArray of KacWireItemResult. */
GPtrArray  *kac_wire_decode_batch_response  (const char  *data,
                                             gsize        length,
                                             GError     **error);

/* Problems (RFC 9457) */

typedef struct
{
  char *field;
  char *message;
} KacWireFieldError;

typedef struct
{
  char      *type;
  char      *title;
  guint      status;
  char      *detail;
  char      *code;
  gboolean   retryable;
  GPtrArray *errors;   /* of KacWireFieldError, never NULL */
} KacWireProblem;

KacWireProblem *kac_wire_problem_new        (guint        status,
                                             const char  *code,
                                             const char  *title,
                                             const char  *detail,
                                             gboolean     retryable);
void        kac_wire_problem_add_error      (KacWireProblem *problem,
                                             const char     *field,
                                             const char     *message);
void        kac_wire_problem_free           (KacWireProblem *problem);
GBytes     *kac_wire_encode_problem         (KacWireProblem *problem);
KacWireProblem *kac_wire_decode_problem     (const char  *data,
                                             gsize        length,
                                             GError     **error);

/* Status changes */

typedef struct
{
  char                 *uuid;
  char                 *central_number;
  KacApplicationStatus  status;
  GDateTime            *changed_at;
  char                 *due_date;   /* "YYYY-MM-DD" or NULL */
} KacWireChange;

typedef struct
{
  GPtrArray *changes;  /* of KacWireChange, never NULL */
  char      *cursor;
  gboolean   more;
} KacWireChangesPage;

KacWireChangesPage *kac_wire_changes_page_new  (void);
void        kac_wire_changes_page_add       (KacWireChangesPage   *page,
                                             const char           *uuid,
                                             const char           *central_number,
                                             KacApplicationStatus  status,
                                             GDateTime            *changed_at,
                                             const char           *due_date);
void        kac_wire_changes_page_free      (KacWireChangesPage *page);
GBytes     *kac_wire_encode_changes_page    (KacWireChangesPage *page);
KacWireChangesPage *kac_wire_decode_changes_page (const char  *data,
                                                  gsize        length,
                                                  GError     **error);

/* Sign-in and session */

GBytes     *kac_wire_encode_sign_in         (const char  *username,
                                             const char  *password);
gboolean    kac_wire_decode_sign_in         (const char  *data,
                                             gsize        length,
                                             char       **username,
                                             char       **password,
                                             GError     **error);

typedef struct
{
  char      *token;
  GDateTime *expires_at;
  char      *username;
  char      *display_name;     /* may be NULL */
  char      *role;             /* "clerk", "manager", "institution", "admin" */
  char      *centre_id;        /* NULL unless clerk or manager */
  char      *centre_name;
  char      *centre_kind;      /* kac_centre_kind_to_string() name */
  char      *institution;      /* NULL unless institution */
} KacWireSession;

void        kac_wire_session_free           (KacWireSession *session);
GBytes     *kac_wire_encode_session         (KacWireSession *session);
KacWireSession *kac_wire_decode_session     (const char  *data,
                                             gsize        length,
                                             GError     **error);

/* Status change request */

GBytes     *kac_wire_encode_status_change   (KacApplicationStatus  status,
                                             const char           *due_date,
                                             const char           *note);
gboolean    kac_wire_decode_status_change   (const char            *data,
                                             gsize                  length,
                                             KacApplicationStatus  *status,
                                             char                 **due_date,
                                             char                 **note,
                                             GError               **error);

/* Statistics */

/* The longest range one request may ask for (three years and a leap day). */
#define KAC_WIRE_STATS_MAX_DAYS     1097
#define KAC_WIRE_STATS_MAX_GROUPS   5000

typedef struct
{
  gint64  cases;
  gint64  by_kind[KAC_RECORD_KIND_N_VALUES];
  gint64  by_channel[KAC_CHANNEL_N_VALUES];
  gint64  delayed;
  gint64  complaints;
  gint64  satisfaction[5];     /* answers 1…5 */
} KacWireFigures;

/* The number of satisfaction answers, their average (0 without answers) and the share of
 * cases that came electronically (0 without cases). */
gint64      kac_wire_figures_get_answers     (const KacWireFigures *figures);
double      kac_wire_figures_get_average     (const KacWireFigures *figures);
double      kac_wire_figures_get_electronic_share (const KacWireFigures *figures);

typedef struct
{
  char           *service_code;      /* NULL: registrations without a service */
  char           *institution_code;  /* NULL: without an institution */
  KacWireFigures  figures;
} KacWireStatsGroup;

typedef struct
{
  GDate           date;
  KacWireFigures  figures;
} KacWireStatsDay;

typedef struct
{
  char      *centre_id;
  char      *centre_name;
  GDate      from;
  GDate      to;
  GDate      as_of;
  KacWireFigures totals;
  GPtrArray *institutions;   /* of KacWireStatsGroup (service_code NULL), never NULL */
  GPtrArray *services;       /* of KacWireStatsGroup, never NULL */
  GArray    *days;           /* of KacWireStatsDay, from … to, never NULL */
} KacWireStats;

/* Empty figures, no groups and one zero day per day of the range. */
KacWireStats *kac_wire_stats_new            (const char   *centre_id,
                                             const char   *centre_name,
                                             const GDate  *from,
                                             const GDate  *to,
                                             const GDate  *as_of);
KacWireStatsGroup *kac_wire_stats_add_group (GPtrArray    *groups,
                                             const char   *service_code,
                                             const char   *institution_code);
/* The day @date of the range, or NULL outside it. */
KacWireStatsDay *kac_wire_stats_get_day     (KacWireStats *stats,
                                             const GDate  *date);
void        kac_wire_stats_free             (KacWireStats *stats);
GBytes     *kac_wire_encode_stats           (KacWireStats *stats);
KacWireStats *kac_wire_decode_stats         (const char   *data,
                                             gsize         length,
                                             GError      **error);

/* "YYYY-MM-DD" naming a real date. */
gboolean    kac_wire_date_is_valid          (const char  *date);
/* "2026-03-02T09:15:00.123456Z" */
char       *kac_wire_format_timestamp       (GDateTime   *date_time);

/* Catalogue */

KacCatalog *kac_wire_decode_catalog         (GBytes      *bytes,
                                             GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacWireBatchItem, kac_wire_batch_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacWireItemResult, kac_wire_item_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacWireProblem, kac_wire_problem_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacWireChangesPage, kac_wire_changes_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacWireSession, kac_wire_session_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacWireStats, kac_wire_stats_free)

/* Materials, notices and attachments (issue 4; MK 401 §15.2, §18.2, §19.1–19.4)
 *
 * Material (a methodological material; each update is a new version):
 *   {"id": "<uuid>", "version": 3, "institution": "VSAA", "title": "…",
 *    "services": ["VSAA-01", …],           1…KAC_WIRE_MATERIAL_MAX_SERVICES codes
 *    "body": "…",                           the text in KAC Desk's Markdown subset (kac-markup.h)
 *    "attachments": [{"sha256": "<64 hex>", "name": "rules.pdf",
 *                     "content_type": "application/pdf", "size": 12345}, …],
 *    "updated_at": "…Z", "deleted": false}
 *   A deleted material is a tombstone: {"id": "…", "version": n, "deleted": true}; the other
 *   members may be absent.
 * Publish (POST /api/v1/materials, PUT /api/v1/materials/{id}, institution users):
 *   {"title": "…", "services": […], "body": "…", "attachments": [{"sha256": "…", "name": "…"}]}
 *   The attachments must have been uploaded first (POST /api/v1/attachments, the raw bytes).
 *
 * Notice (a staff notice of §19, for one or more centres; an update is a new version):
 *   {"id": "<uuid>", "version": 1, "institution": "VSAA",
 *    "kind": "specialist-assigned"|"hours-changed"|"absence"|"substitution",
 *    "centres": ["riga-1", …],
 *    "position": "…" | null, "name": "…" | null,
 *    "starts_at": "…Z", "ends_at": "…Z" | null,
 *    "hours": [{"day": 1, "from": "09:00", "to": "16:00"}, …] | null,  day 1 = Monday; local
 *                                           wall-clock times at the centre
 *    "note": "…" | null, "created_at": "…Z", "deleted": false}
 *   Rules by kind: specialist-assigned needs position, name and starts_at (from when), hours
 *   optional; hours-changed needs starts_at and hours (the whole new week); absence needs
 *   starts_at and ends_at (position and name of who is absent are optional); substitution
 *   needs the substitute's position and name, starts_at and ends_at. ends_at > starts_at.
 * Publish (POST /api/v1/notices, PUT /api/v1/notices/{id}): the same members without id,
 *   version, institution, created_at and deleted; "centres" is required there.
 *
 * Feeds (GET /api/v1/materials?since=CURSOR, GET /api/v1/notices?since=CURSOR):
 *   {"materials"|"notices": [item, …], "cursor": "<opaque>", "more": false}
 *   Items changed after the cursor, oldest change first, tombstones included. A clerk's
 *   notices feed holds only the notices for its centre.
 *
 * Attachment upload answer (201 to POST /api/v1/attachments):
 *   {"sha256": "…", "size": 12345, "content_type": "application/pdf"}
 */

#define KAC_WIRE_MATERIAL_BODY_MAX_BYTES  (256 * 1024)
#define KAC_WIRE_MATERIAL_MAX_SERVICES    50
#define KAC_WIRE_MATERIAL_MAX_ATTACHMENTS 20
#define KAC_WIRE_ATTACHMENT_MAX_BYTES     (10 * 1024 * 1024)
#define KAC_WIRE_NOTICE_MAX_CENTRES       500
#define KAC_WIRE_NOTICE_MAX_HOURS         21
/* A feed page (the server cuts pages near 4 MiB) and a publish request. */
#define KAC_WIRE_FEED_MAX_BYTES           (8 * 1024 * 1024)
#define KAC_WIRE_PUBLISH_MAX_BYTES        (512 * 1024)

typedef enum
{
  KAC_NOTICE_KIND_SPECIALIST_ASSIGNED,
  KAC_NOTICE_KIND_HOURS_CHANGED,
  KAC_NOTICE_KIND_ABSENCE,
  KAC_NOTICE_KIND_SUBSTITUTION,
} KacNoticeKind;

const char *kac_notice_kind_to_string   (KacNoticeKind  kind);
gboolean    kac_notice_kind_from_string (const char    *string,
                                         KacNoticeKind *kind);
const char *kac_notice_kind_get_label   (KacNoticeKind  kind);

/* "true" when @sha256 is 64 lower-case hex digits. */
gboolean    kac_wire_sha256_is_valid    (const char    *sha256);

typedef struct
{
  char   *sha256;
  char   *name;
  char   *content_type;   /* NULL in a publish request */
  gint64  size;           /* 0 in a publish request */
} KacWireAttachment;

KacWireAttachment *kac_wire_attachment_new  (const char *sha256,
                                             const char *name,
                                             const char *content_type,
                                             gint64      size);
void        kac_wire_attachment_free        (KacWireAttachment *attachment);

typedef struct
{
  char       *id;
  gint64      version;
  gboolean    deleted;
  char       *institution;
  char       *title;
  GStrv       services;
  char       *body;
  GPtrArray  *attachments;   /* of KacWireAttachment, never NULL */
  GDateTime  *updated_at;
} KacWireMaterial;

KacWireMaterial *kac_wire_material_new      (void);
void        kac_wire_material_free          (KacWireMaterial *material);

typedef struct
{
  guint day;          /* 1 = Monday … 7 = Sunday */
  guint from_minute;  /* minutes after local midnight */
  guint to_minute;    /* > from_minute, ≤ 24 · 60 */
} KacWireHours;

typedef struct
{
  char          *id;
  gint64         version;
  gboolean       deleted;
  char          *institution;
  KacNoticeKind  kind;
  GStrv          centres;
  char          *position;
  char          *name;
  GDateTime     *starts_at;
  GDateTime     *ends_at;
  GArray        *hours;      /* of KacWireHours, never NULL (empty = none given) */
  char          *note;
  GDateTime     *created_at;
} KacWireNotice;

KacWireNotice *kac_wire_notice_new          (void);
KacWireNotice *kac_wire_notice_copy         (const KacWireNotice *notice);
void        kac_wire_notice_free            (KacWireNotice *notice);
/* Checks the rules by kind above; messages name the member. */
gboolean    kac_wire_notice_validate        (const KacWireNotice *notice,
                                             GError             **error);
/* "09:00" */
char       *kac_wire_format_minute          (guint minute);

typedef struct
{
  GPtrArray *items;    /* of KacWireMaterial or KacWireNotice, never NULL */
  char      *cursor;
  gboolean   more;
} KacWireFeedPage;

KacWireFeedPage *kac_wire_materials_page_new (void);
KacWireFeedPage *kac_wire_notices_page_new  (void);
void        kac_wire_feed_page_free         (KacWireFeedPage *page);

JsonNode   *kac_wire_material_to_node       (const KacWireMaterial *material);
GBytes     *kac_wire_encode_material        (const KacWireMaterial *material);
GBytes     *kac_wire_encode_materials_page  (KacWireFeedPage *page);
KacWireFeedPage *kac_wire_decode_materials_page (const char  *data,
                                                 gsize        length,
                                                 GError     **error);
GBytes     *kac_wire_encode_material_request (const KacWireMaterial *material);
/* Title, services, body and attachments (sha256, name) of a publish request. */
KacWireMaterial *kac_wire_decode_material_request (const char  *data,
                                                   gsize        length,
                                                   GError     **error);
KacWireMaterial *kac_wire_decode_material   (const char  *data,
                                             gsize        length,
                                             GError     **error);

JsonNode   *kac_wire_notice_to_node         (const KacWireNotice *notice);
GBytes     *kac_wire_encode_notice          (const KacWireNotice *notice);
GBytes     *kac_wire_encode_notices_page    (KacWireFeedPage *page);
KacWireFeedPage *kac_wire_decode_notices_page (const char  *data,
                                               gsize        length,
                                               GError     **error);
GBytes     *kac_wire_encode_notice_request  (const KacWireNotice *notice);
KacWireNotice *kac_wire_decode_notice_request (const char  *data,
                                               gsize        length,
                                               GError     **error);
KacWireNotice *kac_wire_decode_notice       (const char  *data,
                                             gsize        length,
                                             GError     **error);

GBytes     *kac_wire_encode_attachment_info (const char  *sha256,
                                             gint64       size,
                                             const char  *content_type);
/* SHA-256 (lower-case hex) of @bytes. */
char       *kac_wire_sha256_of_bytes        (GBytes      *bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacWireAttachment, kac_wire_attachment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacWireMaterial, kac_wire_material_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacWireNotice, kac_wire_notice_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KacWireFeedPage, kac_wire_feed_page_free)


G_END_DECLS
