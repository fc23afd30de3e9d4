using Microsoft.AspNetCore.Identity;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Agents;

/// <summary>
/// An account's team: adding agents, changing roles, resetting passwords, removing members.
/// An account always keeps at least one administrator.
/// </summary>
public sealed class TeamService(IDbContextFactory<UniLinkDb> dbs, IPasswordHasher<User> hasher, InvitationService invitations, LiveBus live)
{
    public const string LastAdministrator = "An account needs at least one administrator";

    public async Task<WriteResult<TeamChange>> AddAsync(int accountId, NewAgent input, CancellationToken ct = default)
    {
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) return new WriteProblem("Name can't be blank", "name");
        if (name.Length > 255) return new WriteProblem("Name is too long (maximum is 255 characters)", "name");
        if (!AgentRules.IsEmail(input.Email)) return new WriteProblem("Email is invalid", "email");
        var role = input.Role ?? Roles.Agent;
        if (!Roles.IsValid(role)) return new WriteProblem("Role is not included in the list", "role");
        if (input.Password is { } pw && AgentRules.PasswordProblem(pw) is { } problem) return new WriteProblem(problem, "password");

        var email = AgentRules.NormalizeEmail(input.Email!);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = UnixTime.Now();
        if (await db.AccountUsers.AnyAsync(m => m.AccountId == accountId && m.User.Email == email, ct))
            return new WriteProblem("Email has already been taken", "email");
        var existing = await db.Users.FirstOrDefaultAsync(u => u.Email == email && u.StandsInForUserId == null, ct);
        // An existing user keeps their password and name and joins only by accepting, signed in as themselves; until
        // then the account has a stand-in, made exactly as a new user is, so the answer tells nothing about who exists.
        var user = new User
        {
            Name = name, Email = email, AccessTokenHash = Tokens.Hash(Tokens.New()), CreatedAt = now, UpdatedAt = now,
            StandsInForUserId = existing?.Id,
        };
        // A stand-in never signs in (sign-in skips them); it keeps a given password only to look as a new user does.
        if (input.Password is { } password) user.PasswordHash = hasher.HashPassword(user, password);
        user.Confirmed = user.PasswordHash is not null;
        db.Users.Add(user);
        var member = new AccountUser { AccountId = accountId, User = user, Role = role, CreatedAt = now };
        db.AccountUsers.Add(member);
        string? joinToken = null;
        if (existing is not null)
        {
            joinToken = Tokens.New(32);
            db.Invitations.Add(new Invitation
            {
                UserId = existing.Id, AccountId = accountId, TokenHash = Tokens.Hash(joinToken), CreatedAt = now,
                ExpiresAt = now + InvitationService.Lifetime, Role = role,
            });
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return new WriteProblem("Email has already been taken", "email");
        }
        var token = input.Password is not null ? null : joinToken ?? await invitations.CreateAsync(user.Id, accountId, ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.AgentsChanged));
        return new TeamChange(member, token);
    }

    /// <summary>The account's members, stand-ins of invited users among them.</summary>
    public async Task<List<AccountUser>> ListAsync(int accountId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.AccountUsers.AsNoTracking().Include(m => m.User)
            .Where(m => m.AccountId == accountId).OrderBy(m => m.UserId).ToListAsync(ct);
    }

    /// <summary>
    /// Role is per account; name and availability belong to the user, so they can be changed here only when the acting
    /// administrator administers every account the user belongs to.
    /// </summary>
    public async Task<WriteResult<TeamChange>> UpdateAsync(int accountId, int userId, AgentChanges changes, int actingUserId, CancellationToken ct = default)
    {
        if (changes.Role is { } role && !Roles.IsValid(role)) return new WriteProblem("Role is not included in the list", "role");
        if (changes.AvailabilityStatus is { } a && !AgentRules.Availabilities.Contains(a))
            return new WriteProblem("Availability is not included in the list", "availability");
        var name = changes.Name?.Trim();
        if (changes.Name is not null && string.IsNullOrEmpty(name)) return new WriteProblem("Name can't be blank", "name");
        if (name is { Length: > 255 }) return new WriteProblem("Name is too long (maximum is 255 characters)", "name");

        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var member = await db.AccountUsers.Include(m => m.User).FirstOrDefaultAsync(m => m.AccountId == accountId && m.UserId == userId, ct);
        if (member is null) return new WriteResult<TeamChange>.Missing();
        var changesUser = name is not null || changes.AvailabilityStatus is not null || changes.AutoOffline is not null;
        if (changesUser && userId != actingUserId && await BelongsWhereNotAdministratorAsync(db, userId, actingUserId, ct))
            return new WriteProblem(AlsoElsewhere("their name and availability"), name is not null ? "name" : "availability");
        if (changes.Role == Roles.Agent && member.Role == Roles.Administrator && await IsLastAdministratorAsync(db, member, ct))
            return new WriteProblem(LastAdministrator, "role");

        if (changes.Role is not null) member.Role = changes.Role;
        if (name is not null) member.User.Name = name;
        if (changes.AvailabilityStatus is not null) member.User.AvailabilityStatus = changes.AvailabilityStatus;
        if (changes.AutoOffline is { } autoOffline) member.User.AutoOffline = autoOffline;
        member.User.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.AgentsChanged));
        return new TeamChange(member);
    }

    /// <summary>Takes the agent out of the account: their conversations there become unassigned.</summary>
    public async Task<WriteResult<TeamChange>> RemoveAsync(int accountId, int userId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var member = await db.AccountUsers.Include(m => m.User).FirstOrDefaultAsync(m => m.AccountId == accountId && m.UserId == userId, ct);
        if (member is null) return new WriteResult<TeamChange>.Missing();
        if (member.Role == Roles.Administrator && await IsLastAdministratorAsync(db, member, ct))
            return new WriteProblem(LastAdministrator, "role");

        await db.Conversations.Where(c => c.AccountId == accountId && c.AssigneeId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.AssigneeId, (int?)null), ct);
        await db.Invitations.Where(i => i.AccountId == accountId && i.UserId == userId).ExecuteDeleteAsync(ct);
        await db.TeamMembers.Where(m => m.UserId == userId && db.Teams.Any(t => t.Id == m.TeamId && t.AccountId == accountId)).ExecuteDeleteAsync(ct);
        await db.InboxMembers.Where(m => m.UserId == userId && db.Inboxes.Any(i => i.Id == m.InboxId && i.AccountId == accountId)).ExecuteDeleteAsync(ct);
        db.AccountUsers.Remove(member);
        if (member.User.StandsInForUserId is { } invited)
        {
            // The invitation is withdrawn with its stand-in.
            await db.Invitations.Where(i => i.AccountId == accountId && i.UserId == invited && i.Role != null).ExecuteDeleteAsync(ct);
            db.Users.Remove(member.User);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.AgentsChanged));
        live.Publish(new LiveEvent(accountId, LiveEvent.ConversationChanged));
        return new TeamChange(member);
    }

    /// <summary>
    /// Clears the agent's password, ends their sessions and hands back a new invitation link. Refused for users who
    /// also belong to an account the acting administrator does not administer, who could otherwise be taken over.
    /// </summary>
    public async Task<WriteResult<TeamChange>> ResetPasswordAsync(int accountId, int userId, int actingUserId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var member = await db.AccountUsers.Include(m => m.User).FirstOrDefaultAsync(m => m.AccountId == accountId && m.UserId == userId, ct);
        if (member is null) return new WriteResult<TeamChange>.Missing();
        if (member.User.StandsInForUserId is { } invited)
        {
            // An invited user has no password to reset here: they get a fresh link to accept, as a new user would.
            var joinToken = Tokens.New(32);
            var now = UnixTime.Now();
            var invitation = await db.Invitations.Where(i => i.AccountId == accountId && i.UserId == invited && i.Role != null && i.UsedAt == null)
                .FirstOrDefaultAsync(ct);
            if (invitation is null)
                db.Invitations.Add(invitation = new Invitation { UserId = invited, AccountId = accountId, TokenHash = "", Role = member.Role, CreatedAt = now });
            invitation.TokenHash = Tokens.Hash(joinToken);
            invitation.ExpiresAt = now + InvitationService.Lifetime;
            member.User.PasswordHash = null;
            await db.SaveChangesAsync(ct);
            live.Publish(new LiveEvent(accountId, LiveEvent.AgentsChanged));
            return new TeamChange(member, joinToken);
        }
        if (await BelongsWhereNotAdministratorAsync(db, userId, actingUserId, ct))
            return new WriteProblem(AlsoElsewhere("their password"), "id");

        member.User.PasswordHash = null;
        member.User.SecurityStamp = Guid.NewGuid().ToString("N");
        member.User.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        await SignIn.SessionService.EndAllAsync(db, userId, ct);
        var token = await invitations.CreateAsync(userId, accountId, ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.AgentsChanged));
        return new TeamChange(member, token);
    }

    /// <summary>Signs the member out everywhere: every dashboard session and sign-in token ends (their API token stays).</summary>
    public async Task<WriteResult<TeamChange>> EndSessionsAsync(int accountId, int userId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var member = await db.AccountUsers.Include(m => m.User).FirstOrDefaultAsync(m => m.AccountId == accountId && m.UserId == userId, ct);
        if (member is null) return new WriteResult<TeamChange>.Missing();
        await SignIn.SessionService.EndAllAsync(db, userId, ct);
        return new TeamChange(member);
    }

    private static string AlsoElsewhere(string what) => $"This agent also belongs to another account; they can change {what} on their profile";

    /// <summary>Is the user a member of an account that the acting user does not administer?</summary>
    private static Task<bool> BelongsWhereNotAdministratorAsync(UniLinkDb db, int userId, int actingUserId, CancellationToken ct) =>
        db.AccountUsers.AnyAsync(m => m.UserId == userId && !db.AccountUsers.Any(
            a => a.AccountId == m.AccountId && a.UserId == actingUserId && a.Role == Roles.Administrator), ct);

    private static async Task<bool> IsLastAdministratorAsync(UniLinkDb db, AccountUser member, CancellationToken ct) =>
        !await db.AccountUsers.AnyAsync(m => m.AccountId == member.AccountId && m.Role == Roles.Administrator && m.Id != member.Id
            && m.User.StandsInForUserId == null, ct);
}
