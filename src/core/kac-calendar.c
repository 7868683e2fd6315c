/* kac-calendar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixed holidays are computed, not listed, so the calendar is right for any year; only
 * the yearly decisions come from the data file. Days are keyed by their Julian day number.
 */
#define G_LOG_DOMAIN "kac-calendar"

#include "config.h"

#include "kac-calendar.h"

#include "kac-core-resources.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#define CALENDAR_RESOURCE  "/lv/vpvkac/Desk/core/calendar/lv-calendar.json"
/* A calendar file lists a few days a year: these bounds only stop a hostile file. */
#define CALENDAR_MAX_BYTES (1024 * 1024)
#define CALENDAR_MAX_ITEMS 10000
#define NAME_MAX_BYTES     256

/* Latvia's rule when the tz database is missing (a minimal container): EET, and EEST from the
 * last Sunday of March 03:00 to the last Sunday of October 04:00 local time, as in the EU. */
#define RIGA_POSIX_TZ "EET-2EEST,M3.5.0/3,M10.5.0/4"

struct _KacCalendar
{
  GObject     parent_instance;

  GHashTable *holidays;      /* julian day → HolidayNames */
  GHashTable *day_offs;      /* julian day → julian day of its working Saturday */
  GHashTable *working_days;  /* julian day → julian day of the day off it replaces */
};

G_DEFINE_FINAL_TYPE (KacCalendar, kac_calendar, G_TYPE_OBJECT)

G_DEFINE_QUARK (kac-calendar-error-quark, kac_calendar_error)

/* Fixed rules */

void
kac_calendar_get_easter (guint  year,
                         GDate *date)
{
  guint a, b, c, d, e, f, g, h, i, k, l, m, month, day;

  g_return_if_fail (year >= 1583 && year <= 9999);
  g_return_if_fail (date != NULL);

  /* The anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
  a = year % 19;
  b = year / 100;
  c = year % 100;
  d = b / 4;
  e = b % 4;
  f = (b + 8) / 25;
  g = (b - f + 1) / 3;
  h = (19 * a + b - d - g + 15) % 30;
  i = c / 4;
  k = c % 4;
  l = (32 + 2 * e + 2 * i - h - k) % 7;
  m = (a + 11 * h + 22 * l) / 451;
  month = (h + l - 7 * m + 114) / 31;
  day = (h + l - 7 * m + 114) % 31 + 1;

  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
}

/* The name of a holiday of the law's fixed rules on @date, or NULL. */
static const char *
fixed_holiday_name (const GDate *date)
{
  GDateDay day = g_date_get_day (date);
  GDateMonth month = g_date_get_month (date);
  GDateYear year = g_date_get_year (date);
  GDateWeekday weekday = g_date_get_weekday (date);

  switch (month)
    {
    case G_DATE_JANUARY:
      if (day == 1)
        return _("New Year’s Day");
      break;
    case G_DATE_MAY:
      if (day == 1)
        return _("Labour Day and Convocation of the Constituent Assembly");
      if (day == 4)
        return _("Restoration of Independence Day");
      /* 4 May on a Sunday (the 5th is Monday) or a Saturday (the 6th is Monday). */
      if ((day == 5 || day == 6) && weekday == G_DATE_MONDAY)
        return _("Day off for the Restoration of Independence Day");
      break;
    case G_DATE_JUNE:
      if (day == 23)
        return _("Midsummer Eve");
      if (day == 24)
        return _("Midsummer Day");
      break;
    case G_DATE_NOVEMBER:
      if (day == 18)
        return _("Proclamation Day of the Republic of Latvia");
      if ((day == 19 || day == 20) && weekday == G_DATE_MONDAY)
        return _("Day off for the Proclamation Day");
      break;
    case G_DATE_DECEMBER:
      if (day == 24)
        return _("Christmas Eve");
      if (day == 25)
        return _("Christmas Day");
      if (day == 26)
        return _("Second Day of Christmas");
      if (day == 31)
        return _("New Year’s Eve");
      break;
    case G_DATE_MARCH:
    case G_DATE_APRIL:
      if (year >= 1583 && year <= 9999)
        {
          GDate easter;
          gint offset;

          kac_calendar_get_easter (year, &easter);
          offset = (gint) g_date_get_julian (date) - (gint) g_date_get_julian (&easter);
          if (offset == -2)
            return _("Good Friday");
          if (offset == 0)
            return _("Easter Sunday");
          if (offset == 1)
            return _("Easter Monday");
        }
      break;
    default:
      break;
    }

  return NULL;
}

static gboolean
is_weekend (const GDate *date)
{
  GDateWeekday weekday = g_date_get_weekday (date);

  return weekday == G_DATE_SATURDAY || weekday == G_DATE_SUNDAY;
}

/* A one-off holiday's names: Latvian always, English when given. */
typedef struct
{
  char *lv;
  char *en;
} HolidayNames;

static void
holiday_names_free (HolidayNames *names)
{
  g_free (names->lv);
  g_free (names->en);
  g_free (names);
}

/* Latvian when the user's languages put Latvian before English (or English is missing),
 * as the catalogue does with its name_lv / name_en. */
static const char *
pick_name (HolidayNames *names)
{
  const char * const *languages = g_get_language_names ();

  for (guint i = 0; languages[i] != NULL && names->en != NULL; i++)
    {
      if (g_str_has_prefix (languages[i], "lv"))
        return names->lv;
      if (g_str_has_prefix (languages[i], "en"))
        return names->en;
    }

  /* Neither language asked for (e.g. the C locale): the program's own language is English. */
  return names->en != NULL ? names->en : names->lv;
}

/* The data file */

static gboolean
set_invalid (GError     **error,
             const char  *path,
             const char  *problem)
{
  g_set_error (error, KAC_CALENDAR_ERROR, KAC_CALENDAR_ERROR_INVALID,
               /* Translators: %1$s names a place in the calendar file ("moves[2].day_off"),
                * %2$s says what is wrong with it. */
               _("The working-day calendar file is wrong at “%1$s”: %2$s"), path, problem);
  return FALSE;
}

static gboolean
read_date (JsonObject  *object,
           const char  *path,
           const char  *member,
           GDate       *date,
           GError     **error)
{
  g_autofree char *where = g_strdup_printf ("%s.%s", path, member);
  JsonNode *node = json_object_get_member (object, member);
  const char *text;
  char year_text[5] = { 0 };
  guint64 year, month, day;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return set_invalid (error, where, _("a date “YYYY-MM-DD” is needed."));

  text = json_node_get_string (node);
  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return set_invalid (error, where, _("not a real date of the form YYYY-MM-DD."));

  memcpy (year_text, text, 4);
  if (!g_ascii_isdigit (text[5]) || !g_ascii_isdigit (text[6])
      || !g_ascii_isdigit (text[8]) || !g_ascii_isdigit (text[9])
      || !g_ascii_string_to_unsigned (year_text, 10, 1583, 9999, &year, NULL)
      || (month = (text[5] - '0') * 10 + (text[6] - '0')) < 1 || month > 12
      || (day = (text[8] - '0') * 10 + (text[9] - '0')) < 1
      || !g_date_valid_dmy (day, month, year))
    return set_invalid (error, where, _("not a real date of the form YYYY-MM-DD."));

  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

static const char *
read_name (JsonObject *object,
           const char *member,
           gboolean   *ok)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *text;

  *ok = TRUE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
      || *(text = json_node_get_string (node)) == '\0' || strlen (text) > NAME_MAX_BYTES)
    {
      *ok = FALSE;
      return NULL;
    }

  return text;
}

static gboolean
read_holiday (KacCalendar  *self,
              JsonNode     *node,
              const char   *path,
              GError      **error)
{
  JsonObject *object;
  HolidayNames *names;
  const char *name_lv, *name_en;
  gboolean lv_ok, en_ok;
  GDate date;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return set_invalid (error, path, _("an object is needed."));
  object = json_node_get_object (node);

  if (!read_date (object, path, "date", &date, error))
    return FALSE;

  name_lv = read_name (object, "name_lv", &lv_ok);
  name_en = read_name (object, "name_en", &en_ok);
  if (name_lv == NULL || !lv_ok || !en_ok)
    return set_invalid (error, path, _("a Latvian name (name_lv) is needed, and names must be short texts."));

  if (g_hash_table_contains (self->holidays, GUINT_TO_POINTER (g_date_get_julian (&date))))
    return set_invalid (error, path, _("the day is listed twice."));

  names = g_new0 (HolidayNames, 1);
  names->lv = g_strdup (name_lv);
  names->en = g_strdup (name_en);
  g_hash_table_insert (self->holidays, GUINT_TO_POINTER (g_date_get_julian (&date)), names);
  return TRUE;
}

static gboolean
is_used (KacCalendar *self,
         guint32      julian)
{
  gpointer key = GUINT_TO_POINTER (julian);

  return g_hash_table_contains (self->day_offs, key) || g_hash_table_contains (self->working_days, key);
}

static gboolean
read_move (KacCalendar  *self,
           JsonNode     *node,
           const char   *path,
           GError      **error)
{
  JsonObject *object;
  GDate day_off, working_day;
  guint32 off_julian, working_julian;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return set_invalid (error, path, _("an object is needed."));
  object = json_node_get_object (node);

  if (!read_date (object, path, "day_off", &day_off, error)
      || !read_date (object, path, "working_day", &working_day, error))
    return FALSE;

  off_julian = g_date_get_julian (&day_off);
  working_julian = g_date_get_julian (&working_day);

  /* A move only makes sense from an ordinary working day to a day off of the week; anything
   * else is a typo that would silently shift every due date around it. */
  if (is_weekend (&day_off) || fixed_holiday_name (&day_off) != NULL
      || g_hash_table_contains (self->holidays, GUINT_TO_POINTER (off_julian)))
    return set_invalid (error, path, _("the day off must be an ordinary working day (Monday to Friday, not a holiday)."));

  if (!is_weekend (&working_day) || fixed_holiday_name (&working_day) != NULL
      || g_hash_table_contains (self->holidays, GUINT_TO_POINTER (working_julian)))
    return set_invalid (error, path, _("the working day must be a Saturday or Sunday that is not a holiday."));

  if (is_used (self, off_julian) || is_used (self, working_julian))
    return set_invalid (error, path, _("a day is moved twice."));

  g_hash_table_insert (self->day_offs, GUINT_TO_POINTER (off_julian), GUINT_TO_POINTER (working_julian));
  g_hash_table_insert (self->working_days, GUINT_TO_POINTER (working_julian), GUINT_TO_POINTER (off_julian));
  return TRUE;
}

static gboolean
read_list (KacCalendar  *self,
           JsonObject   *root,
           const char   *member,
           gboolean    (*read_item) (KacCalendar *, JsonNode *, const char *, GError **),
           GError      **error)
{
  JsonNode *node = json_object_get_member (root, member);
  JsonArray *array;
  guint n;

  /* Both lists are optional: a year may have no moves and no one-off holidays. */
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return set_invalid (error, member, _("a list is needed."));

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > CALENDAR_MAX_ITEMS)
    return set_invalid (error, member, _("the list is far too long."));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s[%u]", member, i);

      if (!read_item (self, json_array_get_element (array, i), path, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
load (KacCalendar  *self,
      GBytes       *json,
      GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize length;
  JsonNode *root;

  data = g_bytes_get_data (json, &length);
  if (length > CALENDAR_MAX_BYTES)
    return set_invalid (error, "/", _("the file is too large."));
  if (length == 0 || !g_utf8_validate (data, length, NULL))
    return set_invalid (error, "/", _("the file is empty or not UTF-8 text."));

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    return set_invalid (error, "/", local_error->message);

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return set_invalid (error, "/", _("a JSON object is needed."));

  /* Holidays first: a move onto a one-off holiday is refused. */
  return read_list (self, json_node_get_object (root), "holidays", read_holiday, error)
         && read_list (self, json_node_get_object (root), "moves", read_move, error);
}

/* GObject */

static void
kac_calendar_finalize (GObject *object)
{
  KacCalendar *self = (KacCalendar *)object;

  g_clear_pointer (&self->holidays, g_hash_table_unref);
  g_clear_pointer (&self->day_offs, g_hash_table_unref);
  g_clear_pointer (&self->working_days, g_hash_table_unref);

  G_OBJECT_CLASS (kac_calendar_parent_class)->finalize (object);
}

static void
kac_calendar_class_init (KacCalendarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kac_calendar_finalize;
}

static void
kac_calendar_init (KacCalendar *self)
{
  self->holidays = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                          (GDestroyNotify) holiday_names_free);
  self->day_offs = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->working_days = g_hash_table_new (g_direct_hash, g_direct_equal);
}

/* Public API */

KacCalendar *
kac_calendar_new_from_bytes (GBytes  *json,
                             GError **error)
{
  g_autoptr(KacCalendar) self = NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (KAC_TYPE_CALENDAR, NULL);
  if (!load (self, json, error))
    return NULL;

  return g_steal_pointer (&self);
}

KacCalendar *
kac_calendar_new (void)
{
  g_autoptr(GBytes) json = NULL;
  g_autoptr(GError) error = NULL;
  KacCalendar *self;

  /* Looked up in libkac's own resource: a static library's resource constructor is not
   * linked unless something refers to it. */
  json = g_resource_lookup_data (kac_core_get_resource (), CALENDAR_RESOURCE,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (json == NULL)
    g_error ("The calendar compiled into libkac is missing: %s", error->message);

  self = kac_calendar_new_from_bytes (json, &error);
  if (self == NULL)
    g_error ("The calendar compiled into libkac is invalid: %s", error->message);

  return self;
}

KacCalendarDayKind
kac_calendar_get_day_kind (KacCalendar *self,
                           const GDate *date)
{
  gpointer key;

  g_return_val_if_fail (KAC_IS_CALENDAR (self), KAC_CALENDAR_DAY_WORKING);
  g_return_val_if_fail (date != NULL && g_date_valid (date), KAC_CALENDAR_DAY_WORKING);

  key = GUINT_TO_POINTER (g_date_get_julian (date));

  if (fixed_holiday_name (date) != NULL || g_hash_table_contains (self->holidays, key))
    return KAC_CALENDAR_DAY_HOLIDAY;
  if (g_hash_table_contains (self->day_offs, key))
    return KAC_CALENDAR_DAY_MOVED_DAY_OFF;
  if (g_hash_table_contains (self->working_days, key))
    return KAC_CALENDAR_DAY_MOVED_WORKING_DAY;
  if (is_weekend (date))
    return KAC_CALENDAR_DAY_WEEKEND;

  return KAC_CALENDAR_DAY_WORKING;
}

gboolean
kac_calendar_is_working_day (KacCalendar *self,
                             const GDate *date)
{
  KacCalendarDayKind kind;

  g_return_val_if_fail (KAC_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  kind = kac_calendar_get_day_kind (self, date);
  return kind == KAC_CALENDAR_DAY_WORKING || kind == KAC_CALENDAR_DAY_MOVED_WORKING_DAY;
}

gboolean
kac_calendar_is_holiday (KacCalendar *self,
                         const GDate *date,
                         const char **name)
{
  const char *found;
  HolidayNames *names;

  if (name != NULL)
    *name = NULL;

  g_return_val_if_fail (KAC_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  found = fixed_holiday_name (date);
  if (found == NULL
      && (names = g_hash_table_lookup (self->holidays, GUINT_TO_POINTER (g_date_get_julian (date)))) != NULL)
    found = pick_name (names);

  if (name != NULL)
    *name = found;

  return found != NULL;
}

void
kac_calendar_add_working_days (KacCalendar *self,
                               GDate       *date,
                               guint        n)
{
  g_return_if_fail (KAC_IS_CALENDAR (self));
  g_return_if_fail (date != NULL && g_date_valid (date));

  while (n > 0)
    {
      g_date_add_days (date, 1);
      if (kac_calendar_is_working_day (self, date))
        n--;
    }
}

gint
kac_calendar_working_days_between (KacCalendar *self,
                                   const GDate *a,
                                   const GDate *b)
{
  GDate day;
  gint count = 0;

  g_return_val_if_fail (KAC_IS_CALENDAR (self), 0);
  g_return_val_if_fail (a != NULL && g_date_valid (a), 0);
  g_return_val_if_fail (b != NULL && g_date_valid (b), 0);

  if (g_date_compare (b, a) < 0)
    return -kac_calendar_working_days_between (self, b, a);

  day = *a;
  while (g_date_compare (&day, b) < 0)
    {
      g_date_add_days (&day, 1);
      if (kac_calendar_is_working_day (self, &day))
        count++;
    }

  return count;
}

GTimeZone *
kac_calendar_get_time_zone (void)
{
  static GTimeZone *zone;
  static gsize initialised;

  if (g_once_init_enter (&initialised))
    {
      zone = g_time_zone_new_identifier ("Europe/Riga");
      if (zone == NULL)
        zone = g_time_zone_new_identifier (RIGA_POSIX_TZ);
      g_once_init_leave (&initialised, 1);
    }

  return zone;
}

void
kac_calendar_date_of (GDateTime *date_time,
                      GDate     *date)
{
  g_autoptr(GDateTime) local = NULL;
  gint year, month, day;

  g_return_if_fail (date_time != NULL);
  g_return_if_fail (date != NULL);

  local = g_date_time_to_timezone (date_time, kac_calendar_get_time_zone ());
  g_date_time_get_ymd (local, &year, &month, &day);
  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
}
