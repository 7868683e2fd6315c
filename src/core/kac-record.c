/* kac-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kac-record"

#include "config.h"

#include "kac-record.h"

#include "kac-personal-code.h"

#include <string.h>

#include <glib/gi18n-lib.h>

struct _KacRecord
{
  GObject         parent_instance;

  char           *uuid;
  KacRecordKind   kind;
  char           *service_code;
  char           *institution_code;
  char           *service_name;
  KacChannel      channel;
  char           *client_name;
  char           *client_code;
  char           *notes;
  int             satisfaction;
  GDateTime      *created_at;
  GDateTime      *updated_at;
  char           *clerk;
  char           *centre_id;
  KacRecordState  state;
  char           *state_detail;
  char           *central_number;
};

G_DEFINE_FINAL_TYPE (KacRecord, kac_record, G_TYPE_OBJECT)

G_DEFINE_QUARK (kac-record-error-quark, kac_record_error)

enum {
  PROP_0,
  PROP_UUID,
  PROP_KIND,
  PROP_SERVICE_CODE,
  PROP_INSTITUTION_CODE,
  PROP_SERVICE_NAME,
  PROP_CHANNEL,
  PROP_CLIENT_NAME,
  PROP_CLIENT_CODE,
  PROP_NOTES,
  PROP_SATISFACTION,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_CLERK,
  PROP_CENTRE_ID,
  PROP_STATE,
  PROP_STATE_DETAIL,
  PROP_CENTRAL_NUMBER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

/* Sets a string field and notifies only when the value really changed, so that list rows
 * bound to a record do not redraw for nothing. */
static void
set_string (KacRecord   *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* Timestamps are kept in UTC and to the microsecond, which is what the store keeps too: a
 * record read back compares equal to the one that was saved. */
static GDateTime *
dup_utc_microseconds (GDateTime *date_time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (date_time);
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (g_date_time_to_unix (utc));

  return g_date_time_add (seconds, g_date_time_get_microsecond (utc));
}

static gboolean
date_time_equal (GDateTime *a,
                 GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_date_time_equal (a, b);
}

static void
set_created_at (KacRecord *self,
                GDateTime *created_at)
{
  g_clear_pointer (&self->created_at, g_date_time_unref);
  if (created_at != NULL)
    self->created_at = dup_utc_microseconds (created_at);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

/* "4213" → "4,213": limits are quoted to the clerk as people write them. The separator is
 * translatable because Latvian writes "4 213". */
static char *
format_count (gulong n)
{
  /* Translators: the thousands separator in numbers such as 4,000 (Latvian uses a
   * narrow no-break space or a space). */
  const char *separator = C_("number", ",");
  g_autofree char *digits = g_strdup_printf ("%lu", n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }

  return g_string_free (out, FALSE);
}

static gboolean
validate_service (KacRecord   *self,
                  KacCatalog  *catalog,
                  GError     **error)
{
  KacRequirement requirement = kac_record_kind_get_service_requirement (self->kind);

  if (requirement == KAC_REQUIREMENT_REQUIRED && is_blank (self->service_code))
    {
      g_set_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_SERVICE,
                   /* Translators: %s is the kind of registration, e.g. "Application for a service". */
                   _("Choose a service; it is required for “%s”."),
                   kac_record_kind_get_label (self->kind));
      return FALSE;
    }

  /* Only a service the record actually names is checked against the catalogue; a record of a
   * kind that does not use a service is not rejected for carrying one (the form clears it). */
  if (catalog != NULL && !is_blank (self->service_code) &&
      kac_catalog_lookup (catalog, self->service_code) == NULL)
    {
      g_set_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_SERVICE,
                   /* Translators: the first %s is the service name as it was when the
                    * record was made, the second its code, e.g. "VSAA-01". */
                   _("The service “%s” (%s) is no longer in the catalogue. Choose a current service."),
                   self->service_name != NULL ? self->service_name : self->service_code,
                   self->service_code);
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_client_name (KacRecord  *self,
                      GError    **error)
{
  KacRequirement requirement = kac_record_kind_get_client_requirement (self->kind);
  glong n_chars;

  if (is_blank (self->client_name))
    {
      if (requirement == KAC_REQUIREMENT_REQUIRED)
        {
          g_set_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_NAME,
                       /* Translators: %s is the kind of registration, e.g. "Application for a service". */
                       _("Enter the client’s name; it is required for “%s”."),
                       kac_record_kind_get_label (self->kind));
          return FALSE;
        }
      return TRUE;
    }

  if (!g_utf8_validate (self->client_name, -1, NULL))
    {
      g_set_error_literal (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_NAME,
                           _("The client’s name contains characters that cannot be stored. Type it again."));
      return FALSE;
    }

  n_chars = g_utf8_strlen (self->client_name, -1);
  if (n_chars > KAC_RECORD_CLIENT_NAME_MAX_CHARS)
    {
      g_autofree char *count = format_count (n_chars);
      g_autofree char *limit = format_count (KAC_RECORD_CLIENT_NAME_MAX_CHARS);

      g_set_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_NAME,
                   /* Translators: the first %s is a character count, the second the limit. */
                   ngettext ("The client’s name is %s character long; the limit is %s.",
                             "The client’s name is %s characters long; the limit is %s.",
                             n_chars),
                   count, limit);
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_client_code (KacRecord  *self,
                      GError    **error)
{
  KacRequirement requirement = kac_record_kind_get_client_requirement (self->kind);
  g_autofree char *normalized = NULL;
  g_autoptr(GError) local_error = NULL;

  if (is_blank (self->client_code))
    {
      if (requirement == KAC_REQUIREMENT_REQUIRED)
        {
          g_set_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_CODE,
                       /* Translators: %s is the kind of registration, e.g. "Application for a service". */
                       _("Enter the client’s personal code; it is required for “%s”."),
                       kac_record_kind_get_label (self->kind));
          return FALSE;
        }
      return TRUE;
    }

  /* A code that was given is checked whatever the kind: a wrong personal code must never be
   * stored, even where it is optional. */
  if (!kac_personal_code_validate (self->client_code, &normalized, NULL, &local_error))
    {
      g_set_error_literal (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_CLIENT_CODE,
                           local_error->message);
      return FALSE;
    }

  kac_record_set_client_code (self, normalized);

  return TRUE;
}

static gboolean
validate_notes (KacRecord  *self,
                GError    **error)
{
  glong n_chars;

  if (self->notes == NULL)
    return TRUE;

  if (!g_utf8_validate (self->notes, -1, NULL))
    {
      g_set_error_literal (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_NOTES,
                           _("The notes contain characters that cannot be stored. Type them again."));
      return FALSE;
    }

  n_chars = g_utf8_strlen (self->notes, -1);
  if (n_chars > KAC_RECORD_NOTES_MAX_CHARS)
    {
      g_autofree char *count = format_count (n_chars);
      g_autofree char *limit = format_count (KAC_RECORD_NOTES_MAX_CHARS);

      g_set_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_NOTES,
                   /* Translators: the first %s is a character count, the second the limit. */
                   ngettext ("The notes are %s character long; the limit is %s.",
                             "The notes are %s characters long; the limit is %s.",
                             n_chars),
                   count, limit);
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_satisfaction (KacRecord  *self,
                       GError    **error)
{
  if (self->satisfaction < 0 || self->satisfaction > 5)
    {
      g_set_error (error, KAC_RECORD_ERROR, KAC_RECORD_ERROR_SATISFACTION,
                   _("The client’s satisfaction must be from 1 to 5, or not asked (it is %d)."),
                   self->satisfaction);
      return FALSE;
    }

  return TRUE;
}

/* GObject overrides */

static void
kac_record_constructed (GObject *object)
{
  KacRecord *self = (KacRecord *)object;

  G_OBJECT_CLASS (kac_record_parent_class)->constructed (object);

  /* The UUID is made here, on the terminal: it is the record's identity on the central
   * system, and resending it is how duplicates are avoided. */
  if (self->uuid == NULL)
    self->uuid = g_uuid_string_random ();

  if (self->created_at == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      self->created_at = dup_utc_microseconds (now);
    }

  if (self->updated_at == NULL)
    self->updated_at = g_date_time_ref (self->created_at);
}

static void
kac_record_finalize (GObject *object)
{
  KacRecord *self = (KacRecord *)object;

  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->service_code, g_free);
  g_clear_pointer (&self->institution_code, g_free);
  g_clear_pointer (&self->service_name, g_free);
  g_clear_pointer (&self->client_name, g_free);
  g_clear_pointer (&self->client_code, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->clerk, g_free);
  g_clear_pointer (&self->centre_id, g_free);
  g_clear_pointer (&self->state_detail, g_free);
  g_clear_pointer (&self->central_number, g_free);

  G_OBJECT_CLASS (kac_record_parent_class)->finalize (object);
}

static void
kac_record_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KacRecord *self = KAC_RECORD (object);

  switch (prop_id)
    {
    case PROP_UUID:
      g_value_set_string (value, self->uuid);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_SERVICE_CODE:
      g_value_set_string (value, self->service_code);
      break;
    case PROP_INSTITUTION_CODE:
      g_value_set_string (value, self->institution_code);
      break;
    case PROP_SERVICE_NAME:
      g_value_set_string (value, self->service_name);
      break;
    case PROP_CHANNEL:
      g_value_set_enum (value, self->channel);
      break;
    case PROP_CLIENT_NAME:
      g_value_set_string (value, self->client_name);
      break;
    case PROP_CLIENT_CODE:
      g_value_set_string (value, self->client_code);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_SATISFACTION:
      g_value_set_int (value, self->satisfaction);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    case PROP_CLERK:
      g_value_set_string (value, self->clerk);
      break;
    case PROP_CENTRE_ID:
      g_value_set_string (value, self->centre_id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_STATE_DETAIL:
      g_value_set_string (value, self->state_detail);
      break;
    case PROP_CENTRAL_NUMBER:
      g_value_set_string (value, self->central_number);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kac_record_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KacRecord *self = KAC_RECORD (object);

  switch (prop_id)
    {
    case PROP_UUID:
      /* Construct-only: NULL means "make one" in constructed(). */
      g_assert (self->uuid == NULL);
      self->uuid = g_value_dup_string (value);
      break;
    case PROP_KIND:
      kac_record_set_kind (self, g_value_get_enum (value));
      break;
    case PROP_SERVICE_CODE:
      set_string (self, &self->service_code, g_value_get_string (value), PROP_SERVICE_CODE);
      break;
    case PROP_INSTITUTION_CODE:
      set_string (self, &self->institution_code, g_value_get_string (value), PROP_INSTITUTION_CODE);
      break;
    case PROP_SERVICE_NAME:
      set_string (self, &self->service_name, g_value_get_string (value), PROP_SERVICE_NAME);
      break;
    case PROP_CHANNEL:
      kac_record_set_channel (self, g_value_get_enum (value));
      break;
    case PROP_CLIENT_NAME:
      kac_record_set_client_name (self, g_value_get_string (value));
      break;
    case PROP_CLIENT_CODE:
      kac_record_set_client_code (self, g_value_get_string (value));
      break;
    case PROP_NOTES:
      kac_record_set_notes (self, g_value_get_string (value));
      break;
    case PROP_SATISFACTION:
      kac_record_set_satisfaction (self, g_value_get_int (value));
      break;
    case PROP_CREATED_AT:
      set_created_at (self, g_value_get_boxed (value));
      break;
    case PROP_UPDATED_AT:
      kac_record_set_updated_at (self, g_value_get_boxed (value));
      break;
    case PROP_CLERK:
      kac_record_set_clerk (self, g_value_get_string (value));
      break;
    case PROP_CENTRE_ID:
      kac_record_set_centre_id (self, g_value_get_string (value));
      break;
    case PROP_STATE:
      kac_record_set_state (self, g_value_get_enum (value));
      break;
    case PROP_STATE_DETAIL:
      kac_record_set_state_detail (self, g_value_get_string (value));
      break;
    case PROP_CENTRAL_NUMBER:
      kac_record_set_central_number (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kac_record_class_init (KacRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = kac_record_constructed;
  object_class->finalize = kac_record_finalize;
  object_class->get_property = kac_record_get_property;
  object_class->set_property = kac_record_set_property;

  properties[PROP_UUID] =
    g_param_spec_string ("uuid", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       KAC_TYPE_RECORD_KIND, KAC_RECORD_KIND_APPLICATION, rw);
  properties[PROP_SERVICE_CODE] =
    g_param_spec_string ("service-code", NULL, NULL, NULL, rw);
  properties[PROP_INSTITUTION_CODE] =
    g_param_spec_string ("institution-code", NULL, NULL, NULL, rw);
  properties[PROP_SERVICE_NAME] =
    g_param_spec_string ("service-name", NULL, NULL, NULL, rw);
  properties[PROP_CHANNEL] =
    g_param_spec_enum ("channel", NULL, NULL,
                       KAC_TYPE_CHANNEL, KAC_CHANNEL_IN_PERSON, rw);
  properties[PROP_CLIENT_NAME] =
    g_param_spec_string ("client-name", NULL, NULL, NULL, rw);
  properties[PROP_CLIENT_CODE] =
    g_param_spec_string ("client-code", NULL, NULL, NULL, rw);
  properties[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, NULL, NULL, rw);
  /* Any int is accepted so that a form or a file can hand over what it has; the 0–5 range is
   * checked by kac_record_validate(), which can tell the clerk about it. */
  properties[PROP_SATISFACTION] =
    g_param_spec_int ("satisfaction", NULL, NULL, G_MININT, G_MAXINT, 0, rw);
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_CLERK] =
    g_param_spec_string ("clerk", NULL, NULL, NULL, rw);
  properties[PROP_CENTRE_ID] =
    g_param_spec_string ("centre-id", NULL, NULL, NULL, rw);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       KAC_TYPE_RECORD_STATE, KAC_RECORD_STATE_QUEUED, rw);
  properties[PROP_STATE_DETAIL] =
    g_param_spec_string ("state-detail", NULL, NULL, NULL, rw);
  properties[PROP_CENTRAL_NUMBER] =
    g_param_spec_string ("central-number", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kac_record_init (KacRecord *self)
{
  self->kind = KAC_RECORD_KIND_APPLICATION;
  self->channel = KAC_CHANNEL_IN_PERSON;
  self->state = KAC_RECORD_STATE_QUEUED;
}

/* Public API */

KacRecord *
kac_record_new (KacRecordKind kind)
{
  return g_object_new (KAC_TYPE_RECORD,
                       "kind", kind,
                       NULL);
}

/**
 * kac_record_copy:
 *
 * Returns: (transfer full): a record with every field of @self, the same UUID and
 *   timestamps included: the same registration, not a new one.
 */
KacRecord *
kac_record_copy (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), NULL);

  return g_object_new (KAC_TYPE_RECORD,
                       "uuid", self->uuid,
                       "kind", self->kind,
                       "service-code", self->service_code,
                       "institution-code", self->institution_code,
                       "service-name", self->service_name,
                       "channel", self->channel,
                       "client-name", self->client_name,
                       "client-code", self->client_code,
                       "notes", self->notes,
                       "satisfaction", self->satisfaction,
                       "created-at", self->created_at,
                       "updated-at", self->updated_at,
                       "clerk", self->clerk,
                       "centre-id", self->centre_id,
                       "state", self->state,
                       "state-detail", self->state_detail,
                       "central-number", self->central_number,
                       NULL);
}

const char *
kac_record_get_uuid (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), NULL);

  return self->uuid;
}

KacRecordKind
kac_record_get_kind (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), KAC_RECORD_KIND_APPLICATION);

  return self->kind;
}

void
kac_record_set_kind (KacRecord     *self,
                     KacRecordKind  kind)
{
  g_return_if_fail (KAC_IS_RECORD (self));
  g_return_if_fail (kind < KAC_RECORD_KIND_N_VALUES);

  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const char *
kac_record_get_service_code (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), NULL);

  return self->service_code;
}

const char *
kac_record_get_institution_code (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), NULL);

  return self->institution_code;
}

const char *
kac_record_get_service_name (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), NULL);

  return self->service_name;
}

void
kac_record_set_service (KacRecord  *self,
                        KacService *service)
{
  g_return_if_fail (KAC_IS_RECORD (self));
  g_return_if_fail (service == NULL || KAC_IS_SERVICE (service));

  /* The three fields change together; listeners see them all set when notified. */
  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->service_code,
              service != NULL ? kac_service_get_code (service) : NULL,
              PROP_SERVICE_CODE);
  set_string (self, &self->institution_code,
              service != NULL ? kac_service_get_institution_code (service) : NULL,
              PROP_INSTITUTION_CODE);
  set_string (self, &self->service_name,
              service != NULL ? kac_service_get_name (service) : NULL,
              PROP_SERVICE_NAME);
  g_object_thaw_notify (G_OBJECT (self));
}

KacChannel
kac_record_get_channel (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), KAC_CHANNEL_IN_PERSON);

  return self->channel;
}

void
kac_record_set_channel (KacRecord  *self,
                        KacChannel  channel)
{
  g_return_if_fail (KAC_IS_RECORD (self));
  g_return_if_fail (channel < KAC_CHANNEL_N_VALUES);

  if (self->channel == channel)
    return;

  self->channel = channel;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL]);
}

const char *
kac_record_get_client_name (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), NULL);

  return self->client_name;
}

void
kac_record_set_client_name (KacRecord  *self,
                            const char *client_name)
{
  g_return_if_fail (KAC_IS_RECORD (self));

  set_string (self, &self->client_name, client_name, PROP_CLIENT_NAME);
}

const char *
kac_record_get_client_code (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), NULL);

  return self->client_code;
}

void
kac_record_set_client_code (KacRecord  *self,
                            const char *client_code)
{
  g_return_if_fail (KAC_IS_RECORD (self));

  set_string (self, &self->client_code, client_code, PROP_CLIENT_CODE);
}

const char *
kac_record_get_notes (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), NULL);

  return self->notes;
}

void
kac_record_set_notes (KacRecord  *self,
                      const char *notes)
{
  g_return_if_fail (KAC_IS_RECORD (self));

  set_string (self, &self->notes, notes, PROP_NOTES);
}

int
kac_record_get_satisfaction (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), 0);

  return self->satisfaction;
}

void
kac_record_set_satisfaction (KacRecord *self,
                             int        satisfaction)
{
  g_return_if_fail (KAC_IS_RECORD (self));

  if (self->satisfaction == satisfaction)
    return;

  self->satisfaction = satisfaction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SATISFACTION]);
}

GDateTime *
kac_record_get_created_at (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), NULL);

  return self->created_at;
}

GDateTime *
kac_record_get_updated_at (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), NULL);

  return self->updated_at;
}

void
kac_record_set_updated_at (KacRecord *self,
                           GDateTime *updated_at)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_if_fail (KAC_IS_RECORD (self));

  if (updated_at != NULL)
    utc = dup_utc_microseconds (updated_at);

  if (date_time_equal (self->updated_at, utc))
    return;

  g_clear_pointer (&self->updated_at, g_date_time_unref);
  self->updated_at = g_steal_pointer (&utc);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

const char *
kac_record_get_clerk (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), NULL);

  return self->clerk;
}

void
kac_record_set_clerk (KacRecord  *self,
                      const char *clerk)
{
  g_return_if_fail (KAC_IS_RECORD (self));

  set_string (self, &self->clerk, clerk, PROP_CLERK);
}

const char *
kac_record_get_centre_id (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), NULL);

  return self->centre_id;
}

void
kac_record_set_centre_id (KacRecord  *self,
                          const char *centre_id)
{
  g_return_if_fail (KAC_IS_RECORD (self));

  set_string (self, &self->centre_id, centre_id, PROP_CENTRE_ID);
}

KacRecordState
kac_record_get_state (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), KAC_RECORD_STATE_QUEUED);

  return self->state;
}

void
kac_record_set_state (KacRecord      *self,
                      KacRecordState  state)
{
  g_return_if_fail (KAC_IS_RECORD (self));
  g_return_if_fail (state < KAC_RECORD_STATE_N_VALUES);

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char *
kac_record_get_state_detail (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), NULL);

  return self->state_detail;
}

void
kac_record_set_state_detail (KacRecord  *self,
                             const char *state_detail)
{
  g_return_if_fail (KAC_IS_RECORD (self));

  set_string (self, &self->state_detail, state_detail, PROP_STATE_DETAIL);
}

const char *
kac_record_get_central_number (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), NULL);

  return self->central_number;
}

void
kac_record_set_central_number (KacRecord  *self,
                               const char *central_number)
{
  g_return_if_fail (KAC_IS_RECORD (self));

  set_string (self, &self->central_number, central_number, PROP_CENTRAL_NUMBER);
}

gboolean
kac_record_is_editable (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), FALSE);

  return self->state == KAC_RECORD_STATE_QUEUED ||
         self->state == KAC_RECORD_STATE_REJECTED;
}

char *
kac_record_dup_masked_client_code (KacRecord *self)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), NULL);

  return kac_personal_code_mask (self->client_code);
}

gboolean
kac_record_validate (KacRecord   *self,
                     KacCatalog  *catalog,
                     GError     **error)
{
  g_return_val_if_fail (KAC_IS_RECORD (self), FALSE);
  g_return_val_if_fail (catalog == NULL || KAC_IS_CATALOG (catalog), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Form order, so that the clerk is sent to the first field that needs attention. */
  return validate_service (self, catalog, error) &&
         validate_client_name (self, error) &&
         validate_client_code (self, error) &&
         validate_notes (self, error) &&
         validate_satisfaction (self, error);
}
