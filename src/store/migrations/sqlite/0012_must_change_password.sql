-- 0012: a password set by someone else (an admin's reset) must be changed by its owner
-- at the next login; until then the account may only change its password, read /me
-- and log out (issue 17, point 8).
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
