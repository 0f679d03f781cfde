-- A statement that must hold for a transaction to commit, checked inside the statement itself:
-- the checkout sends its last statement and COMMIT in one message, so nothing can be checked
-- between them. app_check(condition, message) is true, or raises the message (SQLSTATE P0001);
-- an unknown (NULL) condition does not hold.
CREATE FUNCTION app_check(condition boolean, message text)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
    IF condition IS NOT TRUE THEN
        RAISE EXCEPTION USING MESSAGE = message, ERRCODE = 'P0001';
    END IF;
    RETURN true;
END
$$;
