"""The store's tables, in SQLAlchemy Core. The same schema runs on SQLite and PostgreSQL.

Alembic migrations (``store/migrations``) create and change these tables; a test checks
that the migrated database and this module agree, so this file is the one to read.

Tables for what ingest writes now: ``sources``, ``feed_items``, ``documents``,
``removed_text``, ``text_repairs``, ``duplicates``, ``runs``, ``dropped_items``.
Tables for extraction and checking: ``actors``, ``actor_offices``, ``mentions``,
``place_mentions``, ``events``, ``event_actors``, ``event_mentions``.
Tables for checking: ``flags``, ``office_claims``, ``event_clusters``,
``credibility_overrides``. Tables the dashboard reads instead of the events' JSON (kept in
step by the writers, ``store/summaries.py``): ``event_countries``, ``event_areas``,
``summary_areas``, ``summary_pairs``, ``summary_actors``. Tables of the dashboard:
``users``, ``web_sessions``, ``api_tokens``, ``event_reviews``, ``alerts``. Tables of
sharing: ``partners``, ``partner_credentials``, ``taxii_collections``, ``partner_access``,
``taxii_objects``, ``taxii_status``, ``subscriptions``, ``partner_objects``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no zone, so naive values would come back ambiguous; we refuse naive
    input and normalise everything to UTC on the way in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given to the store; pass an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _json() -> Any:
    """JSON on SQLite, JSONB (indexable) on PostgreSQL."""
    return JSON().with_variant(JSONB(), "postgresql")


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

DOC_ID = String(64)  # sha256 hex of the normalised text

# --- ingest -------------------------------------------------------------------------

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("command", String(40), nullable=False),
    Column("arguments", _json(), nullable=False, default=list),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("status", String(20), nullable=False, default="running"),
    Column("counts", _json(), nullable=False, default=dict),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(10), nullable=False),  # file, url, feed
    Column("locator", Text, nullable=False),  # path, URL or feed URL
    Column("outlet", Text),
    Column("title", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("kind", "locator", name="uq_sources_kind_locator"),
    CheckConstraint("kind IN ('file', 'url', 'feed')", name="kind"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", DOC_ID, primary_key=True),
    Column("source_id", ForeignKey("sources.id")),
    Column("run_id", ForeignKey("runs.id")),
    Column("origin", Text, nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("author", Text),
    Column("published", UTCDateTime),
    Column("date_source", String(20)),  # metadata, text; null when undated
    Column("language", String(8), nullable=False, default="en"),
    Column("text", Text, nullable=False),
    Column("text_chars", Integer, nullable=False),
    # Child-row counts written in the same transaction: a check that a document is whole.
    Column("removed_count", Integer, nullable=False, default=0),
    Column("repair_count", Integer, nullable=False, default=0),
    Column("minhash", LargeBinary),
    Column("duplicate_of", ForeignKey("documents.id")),
    # new: waits for extraction; duplicate: another copy of a stored story, not processed
    Column("status", String(12), nullable=False, default="new"),
    Column("areas", _json()),  # cooperation areas of the whole document, once extracted
    # TLP 2.0 level the document may be shared at: clear, green, amber, amber+strict, red
    Column("tlp", String(12), nullable=False, default="clear", server_default="clear"),
    Column("credibility", Float),  # 0..1, from verify.credibility, with its reasons
    Column("credibility_reasons", _json()),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("ingested_at", UTCDateTime, nullable=False),
    Index("ix_documents_published", "published"),
    Index("ix_documents_status", "status"),
    Index("ix_documents_duplicate_of", "duplicate_of"),
)

removed_text = Table(
    "removed_text",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("line", Integer),
    Column("reason", String(40), nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_removed_text_document", "document_id"),
)

text_repairs = Table(
    "text_repairs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("line", Integer),
    Column("before", Text, nullable=False),
    Column("after", Text, nullable=False),
    Index("ix_text_repairs_document", "document_id"),
)

duplicates = Table(
    "duplicates",
    metadata,
    Column("id", Integer, primary_key=True),
    # The first copy we stored, which is the one processed.
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    # A near copy is stored as a document of its own (status 'duplicate'); an exact copy is not.
    Column("copy_id", ForeignKey("documents.id", ondelete="CASCADE")),
    Column("kind", String(8), nullable=False),  # exact, near
    Column("similarity", Float, nullable=False),
    Column("origin", Text, nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("published", UTCDateTime),
    Column("found_at", UTCDateTime, nullable=False),
    UniqueConstraint("document_id", "origin", name="uq_duplicates_document_origin"),
    CheckConstraint("kind IN ('exact', 'near')", name="kind"),
)

feed_items = Table(
    "feed_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("item_key", Text, nullable=False),
    Column("document_id", ForeignKey("documents.id")),
    Column("seen_at", UTCDateTime, nullable=False),
    UniqueConstraint("source_id", "item_key", name="uq_feed_items_source_key"),
)

dropped_items = Table(
    "dropped_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("origin", Text, nullable=False),
    Column("reason", String(40), nullable=False),
    Column("detail", Text, nullable=False),
    Index("ix_dropped_items_run", "run_id"),
)

# --- extraction and checking (filled by later stages) --------------------------------

actors = Table(
    "actors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(12), nullable=False),  # person, organisation, country, igo, group
    Column("name", Text, nullable=False),
    Column("country", String(3)),  # ISO 3166-1 alpha-3 (Kosovo XKX), IGO/EUR/UNO; "" for none
    Column("sectors", _json(), nullable=False, default=list),  # PLOVER sector codes
    Column("aliases", _json(), nullable=False, default=list),
    Column("wikidata_id", String(20)),
    UniqueConstraint("kind", "name", "country", name="uq_actors_kind_name_country"),
)

actor_offices = Table(
    "actor_offices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("actor_id", ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("office", Text, nullable=False),
    Column("country", String(3)),
    Column("start_date", Date),
    Column("end_date", Date),
    Column("source_note", Text),  # reference file, Wikidata, or a document id
    Column("checked_on", Date),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("actor_id", ForeignKey("actors.id")),  # null while unresolved or ambiguous
    Column("start", Integer, nullable=False),  # character offsets into documents.text
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", String(12), nullable=False),
    Column("role_text", Text),  # the office or title stated with the mention
    Column("country", String(3)),
    Column("sector", String(3)),
    Column("candidates", _json(), nullable=False, default=list),  # when ambiguous
    Index("ix_mentions_document", "document_id"),
    Index("ix_mentions_actor", "actor_id"),
)

place_mentions = Table(
    "place_mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("country", String(3)),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("candidates", _json(), nullable=False, default=list),
    Index("ix_place_mentions_document", "document_id"),
)

events = Table(
    "events",
    metadata,
    Column("id", String(64), primary_key=True),  # deterministic, so re-runs update
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("cluster_id", String(64)),  # the real-world event across documents
    Column("event", String(12), nullable=False),  # PLOVER event type
    Column("mode", String(20)),
    Column("contexts", _json(), nullable=False, default=list),
    Column("cameo", String(4)),
    Column("quad_code", Integer),
    Column("plover_score", Float),
    Column("areas", _json(), nullable=False, default=list),  # cooperation areas
    Column("actor", _json(), nullable=False, default=list),  # PLOVER actor objects
    Column("recipient", _json(), nullable=False, default=list),
    Column("event_loc", _json()),
    Column("date", Date),
    Column("date_precision", String(8)),  # day, week, month, year
    Column("modality", String(12), nullable=False, default="factual"),
    Column("confidence", Float),
    Column("credibility", Float),
    Column("credibility_reasons", _json(), nullable=False, default=list),
    Column("event_text", Text),
    Column("created_at", UTCDateTime, nullable=False),
    # The day the dashboard files the event under: its stated date, else its document's
    # publication day (UTC); null when neither is known. Set by the extraction writer.
    Column("day", Date),
    Index("ix_events_date", "date"),
    # The events table pages by these (newest first, by type, by credibility).
    Index("ix_events_day", "day", "id"),
    Index("ix_events_event_day", "event", "day", "id"),
    Index("ix_events_credibility_day", "credibility", "day", "id"),
    Index("ix_events_document", "document_id"),
    Index("ix_events_cluster", "cluster_id"),
    CheckConstraint(
        "modality IN ('factual', 'future', 'hypothetical', 'negated')", name="modality"
    ),
)

event_actors = Table(
    "event_actors",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
    Column("side", String(10), primary_key=True),  # actor, recipient
    Index("ix_event_actors_actor", "actor_id"),
)

event_countries = Table(
    # The countries of an event's actors and recipients, one row per country, so that the
    # country, pair and region filters are index lookups, not scans of the JSON columns.
    "event_countries",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("country", String(8), primary_key=True),
    Column("as_actor", Boolean, nullable=False),
    Column("as_recipient", Boolean, nullable=False),
    Column("day", Date),  # events.day, repeated so the index serves filter and order
    Index("ix_event_countries_country_day", "country", "day", "event_id"),
)

event_areas = Table(
    # The cooperation areas of an event, one row per area (events.areas as rows).
    "event_areas",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("area", String(40), primary_key=True),
    Column("day", Date),
    Index("ix_event_areas_area_day", "area", "day", "event_id"),
)

event_mentions = Table(
    "event_mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("sentence_start", Integer, nullable=False),
    Column("sentence_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_event_mentions_event", "event_id"),
)

flags = Table(
    "flags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("severity", String(10), nullable=False),  # info, warning, serious
    Column("explanation", Text, nullable=False),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE")),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE")),
    Column("evidence", _json(), nullable=False, default=list),
    Column("details", _json()),  # the structured facts behind the explanation
    Column("resolved", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_flags_document", "document_id"),
    Index("ix_flags_event", "event_id"),
    Index("ix_flags_kind", "kind"),
)


office_claims = Table(
    # "X is the <office> of <country>" as a document states it, checked against the
    # reference office holders on the document's date (or the ingestion date).
    "office_claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),  # the mention of the person
    Column("end", Integer, nullable=False),
    Column("person", Text, nullable=False),
    Column("role_text", Text, nullable=False),
    Column("office", String(80)),  # office key of the reference data, when recognised
    Column("on_date", Date, nullable=False),
    Column("date_basis", String(10), nullable=False),  # published, ingested
    Column("verdict", String(10), nullable=False),  # match, conflict, unknown
    Column("record", Text),  # who held the office then, as the reference data says
    Column("source_note", Text),
    Index("ix_office_claims_document", "document_id"),
    Index("ix_office_claims_person", "person"),
    CheckConstraint("verdict IN ('match', 'conflict', 'unknown')", name="verdict"),
)

event_clusters = Table(
    # One real-world event told by several documents (events.cluster_id points here).
    "event_clusters",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("event", String(12), nullable=False),
    Column("date", Date),
    Column("documents", Integer, nullable=False),
    Column("independent_sources", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_event_clusters_date", "date"),
)

credibility_overrides = Table(
    # An analyst's own judgement of an event's or a document's credibility: kept, never
    # overwritten by a re-run, and shown with who, when and why.
    "credibility_overrides",
    metadata,
    Column("id", Integer, primary_key=True),
    # Not a foreign key: re-extraction deletes and re-creates a document's events under
    # the same deterministic ids, and the analyst's judgement must outlive that.
    Column("event_id", String(64)),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE")),
    Column("value", Float, nullable=False),
    Column("computed", Float),  # the score it replaced
    Column("analyst", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_credibility_overrides_event", "event_id"),
    Index("ix_credibility_overrides_document", "document_id"),
    CheckConstraint("value >= 0 AND value <= 1", name="value_range"),
    CheckConstraint("(event_id IS NULL) <> (document_id IS NULL)", name="one_target"),
)

# --- summaries for the overview (store/summaries.py) -----------------------------------
# Per day and scope: "*" (every event), a country code (events with an actor or recipient
# of that country), "region:<name>" (of one of its countries) or "area:<area>" (events of
# that cooperation area). A null day holds the events that have none. Rebuilt for the
# days a processing batch or a credibility refresh touched. Pairs and actors also have a
# rollup per month (grain "month"), so that a long window reads months, not days.

summary_areas = Table(
    # Events and credibility-weighted events per day, scope and area ("*": all areas).
    "summary_areas",
    metadata,
    Column("day", Date),
    Column("scope", String(48), nullable=False),
    Column("area", String(40), nullable=False),
    Column("events", Integer, nullable=False),
    Column("weighted", Float, nullable=False),
    Index("ix_summary_areas_scope", "scope", "area", "day"),
    Index("ix_summary_areas_day", "day"),
)

summary_pairs = Table(
    # Events per day, scope, pair of countries (actor side vs recipient side, unordered:
    # country_a < country_b) and PLOVER quad class (0: none), with summed PLOVER scores.
    "summary_pairs",
    metadata,
    Column("day", Date),
    Column("grain", String(5), nullable=False),  # day; month (day: the 1st, a rollup)
    Column("scope", String(48), nullable=False),
    Column("country_a", String(8), nullable=False),
    Column("country_b", String(8), nullable=False),
    Column("quad_code", Integer, nullable=False),
    Column("events", Integer, nullable=False),
    Column("score_sum", Float, nullable=False),
    Column("scored", Integer, nullable=False),  # events with a score
    Index("ix_summary_pairs_scope", "scope", "grain", "day"),
    Index("ix_summary_pairs_day", "day"),
)

summary_actors = Table(
    # Events per day, scope and actor.
    "summary_actors",
    metadata,
    Column("day", Date),
    Column("grain", String(5), nullable=False),
    Column("scope", String(48), nullable=False),
    Column("actor_id", Integer, nullable=False),
    Column("events", Integer, nullable=False),
    Index("ix_summary_actors_scope", "scope", "grain", "day"),
    Index("ix_summary_actors_day", "day"),
)

# --- people, analysts' input and alerts (the dashboard) -------------------------------

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),  # argon2id
    Column("role", String(10), nullable=False),  # viewer, analyst, admin
    Column("must_change_password", Boolean, nullable=False, default=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("role IN ('viewer', 'analyst', 'admin')", name="role"),
)

web_sessions = Table(
    # Server-side sessions: the cookie holds a random token, the store only its hash, so
    # logging out or disabling a user ends the session at once.
    "web_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Index("ix_web_sessions_user", "user_id"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 of the token
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime),
    Column("revoked", Boolean, nullable=False, default=False),
    Index("ix_api_tokens_user", "user_id"),
)

event_reviews = Table(
    # An analyst's confirmation, correction or rejection of an event. Not a foreign key to
    # events: re-extraction re-creates events under the same ids, and the review must stay.
    "event_reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", String(64), nullable=False),
    Column("verdict", String(10), nullable=False),  # confirm, correct, reject
    Column("corrected", _json()),  # {"event", "actor", "recipient", "areas", ...} when correct
    Column("comment", Text, nullable=False, default=""),
    Column("analyst", String(80), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_event_reviews_event", "event_id"),
    CheckConstraint("verdict IN ('confirm', 'correct', 'reject')", name="verdict"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("rule", String(80), nullable=False),
    Column("fired_at", UTCDateTime, nullable=False),
    Column("severity", String(10), nullable=False),
    Column("message", Text, nullable=False),
    Column("details", _json()),
    Column("dedup_key", String(128), nullable=False, unique=True),  # one alert per condition
    Column("deliveries", _json()),  # per channel: ok / failed with the reason
    Index("ix_alerts_fired_at", "fired_at"),
)

# --- sharing with partners (TAXII 2.1) --------------------------------------------------

partners = Table(
    "partners",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("max_tlp", String(12), nullable=False),  # highest TLP 2.0 level it may receive
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
)

partner_credentials = Table(
    # HTTP Basic passwords (argon2id) and bearer tokens (sha256); never stored in clear.
    "partner_credentials",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partner_id", ForeignKey("partners.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(8), nullable=False),  # basic, bearer
    Column("username", String(120), unique=True),  # for basic
    Column("secret_hash", Text, nullable=False),
    Column("token_hash", String(64), unique=True),  # for bearer: sha256, looked up directly
    Column("revoked", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_partner_credentials_partner", "partner_id"),
    CheckConstraint("kind IN ('basic', 'bearer')", name="kind"),
)

taxii_collections = Table(
    "taxii_collections",
    metadata,
    Column("id", String(36), primary_key=True),  # a UUID, as TAXII wants
    Column("api_root", String(40), nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text),
    # The saved filter the collection is built from (export filters and a TLP ceiling);
    # null for a collection partners write into.
    Column("filter", _json()),
    Column("created_at", UTCDateTime, nullable=False),
    Column("refreshed_at", UTCDateTime),
)

partner_access = Table(
    "partner_access",
    metadata,
    Column("partner_id", ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "collection_id", ForeignKey("taxii_collections.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("can_read", Boolean, nullable=False, default=False),
    Column("can_write", Boolean, nullable=False, default=False),
)

taxii_objects = Table(
    # Every version of every STIX object in a collection, with the TLP level it is marked
    # with, so that a partner's ceiling is a plain indexed comparison.
    "taxii_objects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("collection_id", ForeignKey("taxii_collections.id", ondelete="CASCADE"), nullable=False),
    Column("stix_id", String(120), nullable=False),
    Column("type", String(60), nullable=False),
    Column("version", String(40), nullable=False),  # `modified` (or `created`), as sent
    Column("spec_version", String(8), nullable=False, default="2.1"),
    Column("date_added", UTCDateTime, nullable=False),  # microsecond precision
    Column("tlp_rank", Integer, nullable=False),  # 0 clear .. 4 red
    Column("object", _json(), nullable=False),
    Column("origin", String(20), nullable=False),  # pactwatch, partner:<id>
    UniqueConstraint("collection_id", "stix_id", "version", name="uq_taxii_objects_version"),
    Index("ix_taxii_objects_page", "collection_id", "date_added", "id"),
    Index("ix_taxii_objects_stix", "collection_id", "stix_id"),
)

taxii_status = Table(
    "taxii_status",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("collection_id", ForeignKey("taxii_collections.id", ondelete="CASCADE")),
    Column("partner_id", ForeignKey("partners.id", ondelete="CASCADE")),
    Column("status", String(10), nullable=False),  # pending, complete
    Column("request_timestamp", UTCDateTime, nullable=False),
    Column("total_count", Integer, nullable=False),
    Column("success_count", Integer, nullable=False),
    Column("failure_count", Integer, nullable=False),
    Column("pending_count", Integer, nullable=False),
    Column("details", _json()),  # successes, failures (with messages), pendings
)

subscriptions = Table(
    # A partner's TAXII collection we pull from. The credential must be usable to poll, so
    # it is kept as given: protect the store as you would a password file.
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("api_root_url", Text, nullable=False),
    Column("collection_id", String(36), nullable=False),
    Column("name", Text),
    Column("username", Text),
    Column("secret", Text),
    Column("tlp_floor", String(12)),  # the TLP given to objects that carry none
    Column("added_after", String(40)),  # the last X-TAXII-Date-Added-Last seen
    Column("last_polled_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("api_root_url", "collection_id", name="uq_subscriptions_collection"),
)

partner_objects = Table(
    # STIX objects imported from a subscription, with their provenance; the dashboard
    # shows them as partner-supplied and they are never re-shared above their TLP.
    "partner_objects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subscription_id", ForeignKey("subscriptions.id", ondelete="CASCADE"), nullable=False),
    Column("stix_id", String(120), nullable=False),
    Column("type", String(60), nullable=False),
    Column("version", String(40), nullable=False),
    Column("tlp_rank", Integer, nullable=False),
    Column("object", _json(), nullable=False),
    Column("imported_at", UTCDateTime, nullable=False),
    UniqueConstraint("subscription_id", "stix_id", "version", name="uq_partner_objects_version"),
    Index("ix_partner_objects_type", "type"),
)
