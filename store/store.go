// Package store keeps the learner's attempts, drafts and practice days in SQLite.
// It is the only package that opens SQL.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	// The cgo SQLite driver: the database is one plain file the learner owns.
	"github.com/mattn/go-sqlite3"
	"golang.org/x/sys/unix"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is an open drill database.
type Store struct {
	db   *sql.DB
	path string
	// Now is the clock; tests and DRILL_NOW replace it.
	Now func() time.Time

	readOnly bool
	dir      string
}

// ErrReadOnly is returned by every write to a database opened read-only,
// because its folder or file cannot be written.
var ErrReadOnly = errors.New("the database is read-only")

// Open opens (creating if needed) the database at path and applies pending
// migrations. When the file exists but its folder or the file itself cannot be
// written, it is opened read-only: reading commands work, and every write
// returns an error wrapping ErrReadOnly that names the folder.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: empty database path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	dir := filepath.Dir(abs)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create %s: %w", dir, err)
	}
	readOnly := false
	if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("store: %s is a directory, not a database file", path)
	} else if !writable(dir) || (err == nil && !writable(abs)) {
		if err != nil {
			return nil, fmt.Errorf("store: cannot create %s: the folder %s is read-only; choose another with --db: %w", path, dir, ErrReadOnly)
		}
		readOnly = true
	}
	// WAL lets the TUI's autosave and a concurrent `drill stats` proceed together;
	// the busy timeout makes a second writer wait instead of failing at once;
	// _txlock=immediate takes the write lock at BEGIN so two writers never deadlock
	// upgrading read locks.
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "on")
	q.Set("_txlock", "immediate")
	q.Set("_synchronous", "NORMAL")
	if readOnly {
		// Without a writable folder SQLite cannot create the WAL's shared-memory
		// file; immutable tells it nobody writes the file, which holds here.
		q.Del("_journal_mode")
		q.Set("mode", "ro")
		q.Set("immutable", "1")
	}
	db := sql.OpenDB(connector{dsn: dsn(abs, q), drv: &sqlite3.SQLiteDriver{ConnectHook: keepWAL}})
	s := &Store{db: db, path: path, Now: time.Now, readOnly: readOnly, dir: dir}
	if readOnly {
		err = s.checkMigrated(ctx)
	} else {
		err = s.migrate(ctx)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	return s, nil
}

// keepWAL keeps the write-ahead log's files when the last connection closes.
// The close still checkpoints every change into the database file, syncs it
// and empties the log (journal_size_limit 0); only the two files stay, so
// the next command does not create them again. Creating them was 8% of
// `drill answer`'s time here, most of it the file system finding inodes.
func keepWAL(c *sqlite3.SQLiteConn) error {
	if err := c.SetFileControlInt("main", sqlite3.SQLITE_FCNTL_PERSIST_WAL, 1); err != nil {
		return err
	}
	_, err := c.Exec("PRAGMA journal_size_limit = 0", nil)
	return err
}

// connector opens SQLite connections with drill's settings.
type connector struct {
	dsn string
	drv *sqlite3.SQLiteDriver
}

func (c connector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c connector) Driver() driver.Driver                        { return c.drv }

// dsn builds SQLite's URI for a file. The path is escaped so that '?', '#' and
// '%' in a file name stay part of the name: `--db 'we?ird.db'` is a path, not a
// query.
func dsn(abs string, q url.Values) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(filepath.ToSlash(abs)) + "?" + q.Encode()
}

// writable reports whether this process may write path (a read-only mount
// included).
func writable(path string) bool {
	return unix.Access(path, unix.W_OK) == nil
}

// ReadOnly reports whether the database was opened read-only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// writeCheck is called by every method that writes.
func (s *Store) writeCheck() error {
	if s.readOnly {
		return fmt.Errorf("store: cannot save to %s: %w (the folder %s or the file is not writable)", s.path, ErrReadOnly, s.dir)
	}
	return nil
}

// checkMigrated makes sure a read-only database needs no migration: one that
// does cannot be read by this drill.
func (s *Store) checkMigrated(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	applied, err := s.Migrations(ctx)
	if err != nil {
		return fmt.Errorf("%w and could not be read: %v", ErrReadOnly, err)
	}
	if len(applied) < len(names) {
		return fmt.Errorf("%w and was written by an older drill: open it once where it can be written, so it is upgraded", ErrReadOnly)
	}
	return nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// migrate applies every embedded migration not yet recorded, each in its own
// transaction, in file-name order.
//
// Two processes opening a brand-new file at once (the TUI and a CLI command) can
// meet SQLite's "database is locked" while one of them switches the file to WAL:
// the busy handler does not cover that switch, so the first statement is retried
// with a short backoff.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	// Every command opens the store: when every migration is recorded, one
	// read says so, without a write lock or a transaction per file.
	if applied, err := s.Migrations(ctx); err == nil && containsAll(applied, names) {
		return nil
	}
	for i := 0; i < 50; i++ {
		_, err = s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
		if err == nil || !isLocked(err) {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(10+10*i) * time.Millisecond):
		}
	}
	if err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	for _, name := range names {
		if err := s.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// containsAll reports whether every one of want is in have.
func containsAll(have, want []string) bool {
	set := make(map[string]bool, len(have))
	for _, h := range have {
		set[h] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}

func isLocked(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

func (s *Store) migrateFile(ctx context.Context, name string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(migrations, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`,
		name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// Migrations lists the applied migrations in order.
func (s *Store) Migrations(ctx context.Context) ([]string, error) {
	return queryAll(ctx, s.db, "migrations", scanInto(func(n *string) []any { return []any{n} }),
		`SELECT name FROM schema_migrations ORDER BY name`)
}
